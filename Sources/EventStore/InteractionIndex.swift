import Dispatch
import EventFormats
import Locking

/// The store's in-memory state: id dictionaries and per-user interaction aggregates.
///
/// Thread safety: every stored property is guarded by `lock`. Request threads read under the read lock.
/// The store's writer queue is the only thread that mutates (under the write lock), so it alone may also
/// read without the lock through the `writer…` members; concurrent reads never race with each other. The
/// writer-queue-only members check `writerQueue` in debug builds.
package final class InteractionIndex: @unchecked Sendable {
    private let lock = ReadWriteLock()
    private let writerQueue: DispatchQueue
    // Keyed by exact bytes: canonically equivalent but different ids are different users, as in SQLite.
    private var userIndices: [ExactID: Int32] = [:]
    private var userNames: [String] = []
    private var itemIndices: [ExactID: Int32] = [:]
    private var itemNames: [String] = []
    private var interactions: [UserInteractions] = []
    /// Summed event weight per item, by item index: live popularity, current with every commit.
    private var itemTotals: [Float] = []
    /// Stored events per item and per user, by index.
    private var itemEvents: [Int] = []
    private var userEvents: [Int] = []
    private var storedEvents = 0
    private var pairCount = 0

    /// An empty index whose `writer…` members and `apply` belong to `writerQueue`.
    package init(writerQueue: DispatchQueue) {
        self.writerQueue = writerQueue
    }

    // MARK: Reads from any thread

    package func userIndex(_ id: String) -> Int32? { lock.withReadLock { userIndices[ExactID(id)] } }

    package func itemIndex(_ id: String) -> Int32? { lock.withReadLock { itemIndices[ExactID(id)] } }

    /// Nil out of range and for an erased user.
    package func userID(at index: Int32) -> String? {
        lock.withReadLock {
            guard userNames.indices.contains(Int(index)), !userNames[Int(index)].isEmpty else { return nil }
            return userNames[Int(index)]
        }
    }

    package func itemID(at index: Int32) -> String? {
        lock.withReadLock { itemNames.indices.contains(Int(index)) ? itemNames[Int(index)] : nil }
    }

    package var userCount: Int { lock.withReadLock { userNames.count } }

    package var itemCount: Int { lock.withReadLock { itemNames.count } }

    package var eventCount: Int { lock.withReadLock { storedEvents } }

    /// Summed event weight of every item, by item index (a copy).
    package func itemWeightTotals() -> [Float] { lock.withReadLock { itemTotals } }

    package func eventCount(ofItem item: Int32) -> Int {
        lock.withReadLock { itemEvents.indices.contains(Int(item)) ? itemEvents[Int(item)] : 0 }
    }

    package func eventCount(ofUser user: Int32) -> Int {
        lock.withReadLock { userEvents.indices.contains(Int(user)) ? userEvents[Int(user)] : 0 }
    }

    package func timedHistory(ofUser user: Int32) -> (items: [Int32], weights: [Float], lastSeen: [Double]) {
        lock.withReadLock {
            guard interactions.indices.contains(Int(user)) else { return ([], [], []) }
            let entries = interactions[Int(user)].entries
            return (entries.map(\.item), entries.map(\.weight), entries.map(\.lastSeen))
        }
    }

    package func history(ofUser user: Int32) -> (items: [Int32], weights: [Float]) {
        lock.withReadLock {
            guard interactions.indices.contains(Int(user)) else { return ([], []) }
            let entries = interactions[Int(user)].entries
            return (entries.map(\.item), entries.map(\.weight))
        }
    }

    /// The user's latest rating of every item they rated with an explicit type, sorted by item.
    package func latestRatings(ofUser user: Int32) -> (items: [Int32], values: [Float]) {
        lock.withReadLock {
            guard interactions.indices.contains(Int(user)) else { return ([], []) }
            let ratings = interactions[Int(user)].ratings
            return (ratings.map(\.item), ratings.map(\.value))
        }
    }

    package func historyRevision(ofUser user: Int32) -> Int {
        lock.withReadLock { interactions.indices.contains(Int(user)) ? interactions[Int(user)].revision : 0 }
    }

    package func hasSeen(user: Int32, item: Int32) -> Bool {
        lock.withReadLock {
            interactions.indices.contains(Int(user)) && interactions[Int(user)].contains(item)
        }
    }

    /// Copies every pair into flat arrays for training. Only the rows' references are taken under the read lock
    /// (O(users), copy-on-write); the pairs are copied after it is released, so a commit waiting for the write
    /// lock — and every request behind that writer — never waits for the copy. A commit that lands meanwhile
    /// copies the rows it changes instead of changing the snapshot's.
    package func snapshot() -> InteractionSnapshot {
        let (rows, userCount, itemCount, eventCount, count) = lock.withReadLock {
            (interactions, userNames.count, itemNames.count, storedEvents, pairCount)
        }
        var users = [Int32](repeating: 0, count: count)
        var items = [Int32](repeating: 0, count: count)
        var weights = [Float](repeating: 0, count: count)
        var lastSeen = [Double](repeating: 0, count: count)
        users.withUnsafeMutableBufferPointer { users in
            items.withUnsafeMutableBufferPointer { items in
                weights.withUnsafeMutableBufferPointer { weights in
                    lastSeen.withUnsafeMutableBufferPointer { lastSeen in
                        var position = 0
                        for (user, row) in rows.enumerated() {
                            row.entries.withUnsafeBufferPointer { entries in
                                for entry in entries {
                                    users[position] = Int32(truncatingIfNeeded: user)
                                    items[position] = entry.item
                                    weights[position] = entry.weight
                                    lastSeen[position] = entry.lastSeen
                                    position += 1
                                }
                            }
                        }
                        precondition(position == count, "the pair count must match the rows it was read with")
                    }
                }
            }
        }
        return InteractionSnapshot(
            userCount: userCount, itemCount: itemCount, eventCount: eventCount,
            users: users, items: items, weights: weights, lastSeen: lastSeen,
            userRevisions: rows.map(\.revision))
    }

    // MARK: Writer queue only

    /// Looks up a user without the lock; only the writer queue may call this.
    package func writerUserIndex(_ id: String) -> Int32? {
        writerQueue.assertIsCurrent()
        return userIndices[ExactID(id)]
    }

    /// Looks up an item without the lock; only the writer queue may call this.
    package func writerItemIndex(_ id: String) -> Int32? {
        writerQueue.assertIsCurrent()
        return itemIndices[ExactID(id)]
    }

    /// User count without the lock; only the writer queue may read it.
    package var writerUserCount: Int {
        writerQueue.assertIsCurrent()
        return userNames.count
    }

    /// Item count without the lock; only the writer queue may read it.
    package var writerItemCount: Int {
        writerQueue.assertIsCurrent()
        return itemNames.count
    }

    /// Publishes a committed transaction. The sorting happens before the write lock is taken, so readers
    /// wait only for the merge. Only the writer queue may call this.
    package func apply(_ changes: IndexChanges) {
        apply(changes, aggregated: changes.aggregated())
    }

    /// `apply` with the changes' `aggregated()` computed beforehand (on another thread, as a store's opening does).
    func apply(_ changes: IndexChanges, aggregated: IndexChanges.Aggregate) {
        writerQueue.assertIsCurrent()
        let (entries, runs) = aggregated
        lock.withWriteLock {
            // Growing once for a large batch (a store's opening) instead of rehashing on the way.
            if changes.newUsers.count > 1_000 { userIndices.reserveCapacity(userIndices.count + changes.newUsers.count) }
            if changes.newItems.count > 1_000 { itemIndices.reserveCapacity(itemIndices.count + changes.newItems.count) }
            for name in changes.newUsers {
                // An erased user's slot keeps its index and loses its name.
                if !name.isEmpty { userIndices[ExactID(name)] = Int32(userNames.count) }
                userNames.append(name)
            }
            for name in changes.newItems {
                itemIndices[ExactID(name)] = Int32(itemNames.count)
                itemNames.append(name)
            }
            if itemTotals.count < itemNames.count {
                itemTotals.append(contentsOf: repeatElement(0, count: itemNames.count - itemTotals.count))
            }
            if itemEvents.count < itemNames.count {
                itemEvents.append(contentsOf: repeatElement(0, count: itemNames.count - itemEvents.count))
            }
            if userEvents.count < userNames.count {
                userEvents.append(contentsOf: repeatElement(0, count: userNames.count - userEvents.count))
            }
            // One access to each array for the whole batch (each access to a stored property is checked).
            itemTotals.withUnsafeMutableBufferPointer { totals in
                itemEvents.withUnsafeMutableBufferPointer { itemEvents in
                    userEvents.withUnsafeMutableBufferPointer { userEvents in
                        for interaction in changes.interactions {
                            totals[Int(interaction.item)] += interaction.weight
                            itemEvents[Int(interaction.item)] += 1
                            userEvents[Int(interaction.user)] += 1
                        }
                    }
                }
            }
            if interactions.count < userNames.count {
                interactions.append(
                    contentsOf: repeatElement(UserInteractions(), count: userNames.count - interactions.count))
            }
            entries.withUnsafeBufferPointer { entries in
                for run in runs {
                    pairCount += interactions[Int(run.user)].merge(UnsafeBufferPointer(rebasing: entries[run.range]))
                }
            }
            interactions.withUnsafeMutableBufferPointer { rows in
                for rating in changes.ratings {
                    rows[Int(rating.user)].rate(Rating(item: rating.item, value: rating.value, timestamp: rating.timestamp))
                }
            }
            storedEvents += changes.interactions.count
        }
    }

    /// Forgets a user: the name leaves the dictionary (the index stays claimed, never reused), the history
    /// empties and its weights and events leave the items' totals. `events` holds the deleted events per item.
    /// Only the writer queue may call this.
    package func erase(user: Int32, events: [(item: Int32, count: Int)]) {
        writerQueue.assertIsCurrent()
        lock.withWriteLock {
            guard userNames.indices.contains(Int(user)) else { return }
            // Only if the name is still the erased user's: another process may have given it to a new user, whom
            // its change feed announced before the erasure.
            let name = ExactID(userNames[Int(user)])
            if userIndices[name] == user { userIndices[name] = nil }
            userNames[Int(user)] = ""
            if interactions.indices.contains(Int(user)) {
                let removed = interactions[Int(user)].removeAll()
                for entry in removed { itemTotals[Int(entry.item)] = max(0, itemTotals[Int(entry.item)] - entry.weight) }
                pairCount -= removed.count
            }
            for (item, count) in events where itemEvents.indices.contains(Int(item)) {
                itemEvents[Int(item)] -= count
                storedEvents -= count
            }
            if userEvents.indices.contains(Int(user)) { userEvents[Int(user)] = 0 }
        }
    }

    /// The users whose history holds `item` (a scan of every user: for another process's purge, which is rare).
    package func users(havingItem item: Int32) -> [Int32] {
        lock.withReadLock { interactions.indices.filter { interactions[$0].contains(item) }.map { Int32($0) } }
    }

    /// Another process purged `item`: removes it from the histories of `users` (those who had it) and from the
    /// live weights. The event counts stay until `setEventCounts` puts the database's in their place. Only the
    /// writer queue may call this.
    package func purge(item: Int32, fromUsers users: [Int32]) {
        writerQueue.assertIsCurrent()
        lock.withWriteLock {
            guard itemNames.indices.contains(Int(item)) else { return }
            for user in users where interactions.indices.contains(Int(user)) {
                if interactions[Int(user)].remove(item) { pairCount -= 1 }
            }
            itemTotals[Int(item)] = 0
        }
    }

    /// The items a user has events on, by index (from memory).
    package func items(ofUser user: Int32) -> [Int32] {
        lock.withReadLock { interactions.indices.contains(Int(user)) ? interactions[Int(user)].entries.map(\.item) : [] }
    }

    /// Replaces the event counts of some items and users by recounted ones (after another process's purge or
    /// erasure, whose per-item counts this process cannot know); the store's total moves by the items' changes.
    /// Only the writer queue may call this.
    package func setEventCounts(items: [(item: Int32, events: Int)], users: [(user: Int32, events: Int)]) {
        writerQueue.assertIsCurrent()
        lock.withWriteLock {
            for (item, events) in items where itemEvents.indices.contains(Int(item)) {
                storedEvents += events - itemEvents[Int(item)]
                itemEvents[Int(item)] = events
            }
            for (user, events) in users where userEvents.indices.contains(Int(user)) { userEvents[Int(user)] = events }
        }
    }

    /// Removes every user's interactions with `item`, whose events were deleted (`events`: how many per user).
    /// Only the writer queue may call this.
    package func purge(item: Int32, events: [(user: Int32, count: Int)]) {
        writerQueue.assertIsCurrent()
        lock.withWriteLock {
            guard itemNames.indices.contains(Int(item)) else { return }
            for (user, count) in events where interactions.indices.contains(Int(user)) {
                if interactions[Int(user)].remove(item) { pairCount -= 1 }
                userEvents[Int(user)] -= count
                storedEvents -= count
            }
            itemTotals[Int(item)] = 0
            itemEvents[Int(item)] = 0
        }
    }
}
