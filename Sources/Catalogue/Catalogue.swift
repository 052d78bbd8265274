import EventFormats
import Filtering
import LinearAlgebra
import Locking

/// The item and user records in memory, by the store's dense indices, and what answers may contain.
///
/// The store holds the records durably; the service applies each committed write here before it answers, so
/// a hidden or deleted item leaves every answer from that response on. Reads take a reader lock and never
/// wait for more than one record's update.
///
/// **Visibility.** An item is left out of answers while it is deleted, hidden, not yet published or expired.
/// The set of such items is computed once and reused until a write or until the clock passes the next
/// publication or expiry date; `Visibility.generation` changes exactly when that set may have, so cached
/// answers keyed by it are never stale.
package final class Catalogue: @unchecked Sendable {
    // Safe to share: `columns`, `users` and `generation` are guarded by `lock`; `cachedVisibility` by `cacheLock`.

    /// The items answers must leave out at one time, and a number that changes whenever that set may change.
    package struct Visibility: Sendable {
        /// Changes with every write and every passed publication or expiry date.
        package let generation: Generation
        /// Items not to return; nil when there are none.
        package let blocked: BitSet?
    }

    /// Identifies one state of what answers may contain: the writes applied and the time-driven recomputations.
    package struct Generation: Sendable, Hashable {
        package let writes: Int
        package let epoch: Int
    }

    /// One item write, as the store committed it.
    package enum ItemChange: Sendable {
        /// The item has this record now.
        case put(ItemRecord)
        /// The item was deleted through the API.
        case delete
    }

    private let lock = ReadWriteLock()
    private var columns = CatalogueColumns()
    private var users: [Int32: UserRecord] = [:]
    private var generation = 0
    private let cacheLock = Lock<CachedVisibility?>(nil)

    /// A blocked set with the time range in which it holds.
    private struct CachedVisibility {
        let visibility: Visibility
        /// The latest date at or before the time it was computed for (−∞ when none).
        let validFrom: Double
        /// The earliest date after it (+∞ when none).
        let validUntil: Double
    }

    package init() {}

    // MARK: Writes (after the store committed them)

    /// Applies committed item writes in order.
    package func apply(_ changes: [(index: Int32, change: ItemChange)]) {
        guard !changes.isEmpty else { return }
        lock.withWriteLock {
            for (index, change) in changes {
                switch change {
                case .put(let record): columns.set(record, at: index)
                case .delete: columns.set(nil, at: index, isDeleted: true)
                }
            }
            generation += 1
        }
    }

    /// Sets (or with nil removes) a user's record.
    package func setUser(_ record: UserRecord?, at index: Int32) {
        lock.withWriteLock {
            users[index] = record
            generation += 1
        }
    }

    // MARK: Reads

    /// The record of an item, nil when it has none (or was deleted).
    package func record(ofItem index: Int32) -> ItemRecord? {
        lock.withReadLock { columns.records.indices.contains(Int(index)) ? columns.records[Int(index)] : nil }
    }

    /// Every item's record by index (nil: none), as of now.
    package func allRecords() -> [ItemRecord?] {
        lock.withReadLock { columns.records }
    }

    /// True when the item was deleted through the API and not put again since.
    package func isDeleted(item index: Int32) -> Bool {
        lock.withReadLock { columns.deleted.contains(Int(index)) }
    }

    /// The record of a user, if any.
    package func record(ofUser index: Int32) -> UserRecord? {
        lock.withReadLock { users[index] }
    }

    /// Item records in index order after `index` (from the start when nil), at most `limit`, only those in
    /// `category` when given. Returns the page and whether records follow it.
    package func records(inCategory category: String?, after index: Int32?, limit: Int) -> (page: [(index: Int32, record: ItemRecord)], more: Bool) {
        lock.withReadLock {
            var page: [(index: Int32, record: ItemRecord)] = []
            let start = index.map { Int($0) + 1 } ?? 0
            if let category {
                let members = (columns.categories[ExactID(category)] ?? []).filter { Int($0) >= start }.sorted()
                for member in members.prefix(limit) { page.append((member, columns.records[Int(member)]!)) }
                return (page, members.count > limit)
            }
            var position = start
            while position < columns.records.count {
                if let record = columns.records[position] {
                    if page.count == limit { return (page, true) }
                    page.append((Int32(position), record))
                }
                position += 1
            }
            return (page, false)
        }
    }

    /// Items with a record (deleted ones not counted).
    package var recordCount: Int {
        lock.withReadLock { columns.records.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    }

    /// What answers must leave out at `now` (unix seconds).
    package func visibility(at now: Double) -> Visibility {
        let writes = lock.withReadLock { generation }
        return cacheLock.withLock { cached in
            if let cached, cached.visibility.generation.writes == writes, cached.validFrom <= now, now < cached.validUntil {
                return cached.visibility
            }
            let computed = computeVisibility(at: now, epoch: (cached?.visibility.generation.epoch ?? 0) + 1)
            cached = computed
            return computed.visibility
        }
    }

    private func computeVisibility(at now: Double, epoch: Int) -> CachedVisibility {
        lock.withReadLock {
            var blocked = columns.deleted
            blocked.formUnion(columns.hidden)
            var validFrom = -Double.infinity
            var validUntil = Double.infinity
            for (index, dates) in columns.scheduled {
                if let published = dates.published {
                    if published > now { blocked.insert(Int(index)); validUntil = min(validUntil, published) } else { validFrom = max(validFrom, published) }
                }
                if let expires = dates.expires {
                    if expires <= now { blocked.insert(Int(index)); validFrom = max(validFrom, expires) } else { validUntil = min(validUntil, expires) }
                }
            }
            return CachedVisibility(
                visibility: Visibility(generation: Generation(writes: generation, epoch: epoch), blocked: blocked.isEmpty ? nil : blocked),
                validFrom: validFrom, validUntil: validUntil)
        }
    }

    /// The items an answer may hold at `now` among indices `0..<count`: visible ones, only those in any of
    /// `categories` when it is not empty, and only those `filter` passes. Nil when every item may appear (no
    /// restriction to apply).
    package func allowedItems(count: Int, at now: Double, categories: [String] = [], filter: FilterExpression? = nil) -> BitSet? {
        let blocked = visibility(at: now).blocked
        guard blocked != nil || !categories.isEmpty || filter != nil else { return nil }
        var allowed = lock.withReadLock { () -> BitSet in
            let view = CatalogueFilterView(columns: columns, itemCount: count)
            var allowed = filter.map { $0.items(in: view) } ?? BitSet.full(count: count)
            if !categories.isEmpty {
                var inAny = BitSet(count: count)
                for category in categories { inAny.formUnion(view.items(inCategory: category)) }
                allowed.formIntersection(inAny)
            }
            return allowed
        }
        if let blocked { allowed.subtract(blocked.resized(to: count)) }
        return allowed
    }

}
