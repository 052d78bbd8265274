import Dispatch
import EventFormats
import EventStore

/// Owns the writer connection of a `PostgresEventStore` and does every write, and the change feed's reads, on
/// the store's serial writer queue (checked in debug builds, as `StoreWriter` does).
///
/// **The write lock.** Every transaction that claims an index or draws `events_seq` first takes
/// `pg_advisory_xact_lock(PostgresSchema.writeLock)`, held until it commits or rolls back; writers of every
/// process on the database take turns. That is what keeps the SQLite store's rules true across processes:
/// - dense ids — under the lock a writer first reads the names others claimed since it last looked, then
///   claims the next free indices;
/// - exact idempotency — duplicates are looked up under the lock, so the answer cannot change before the
///   commit, and an event's id is claimed only when the event is stored;
/// - a gap-free change feed — see `catchUp`.
/// Group commit makes the turns cheap: one lock, one transaction and one WAL flush per batch of requests.
final class PostgresWriter {
    /// The connection; used only on the writer queue. Replaced by `checkOpen` when it broke.
    private(set) var connection: PostgresConnection
    /// When the connection may next be reopened after a failed attempt, and the wait after the next failure.
    private var reconnection = (notBefore: ContinuousClock.now, backoff: PostgresWriter.firstBackoff)
    /// Since when the database has been unreachable (unix seconds); nil while it answers.
    private(set) var unreachableSince: Double?
    let configuration: PostgresEventStore.Configuration
    let queue: DispatchQueue
    let index: InteractionIndex
    let relations: RelationIndex
    /// The newest `events.seq` (or `changes.seq`) applied to memory: the change feed's cursor.
    var appliedSeq: Int64 = 0
    /// Items and users whose event counts another process's purge or erasure changed, applied already, waiting
    /// for the next poll to recount them (`PostgresWriter+Feed.swift`).
    var pendingRecount: (items: Set<Int32>, users: Set<Int32>) = ([], [])
    /// Events per hour and type of the transaction being written, for `event_activity`.
    private var activity = ActivityTally()
    private var isOpen = true
    /// The explicit types as an array parameter, for the feed's reads.
    let explicitTypes: PostgresValue
    /// Told how many events of other processes were applied (after they are visible), for the commit observers.
    let feedApplied: (Int) -> Void
    /// Told the records other processes changed (after the histories and counts they touched are applied).
    let recordsApplied: (RecordChanges) -> Void

    /// Events read per chunk by the feed and at open.
    static let feedChunk = 100_000
    /// Encoded event rows sent to the server as soon as they reach this size (its own read buffer's).
    static let copyFlushBytes = 64 << 10
    /// The wait after a failed reconnection, doubled after each further failure up to `maxBackoff`.
    static let firstBackoff: Duration = .milliseconds(200)
    static let maxBackoff: Duration = .seconds(5)

    /// Connects, migrates, and fills `index` and `relations` from the tables; on `queue`.
    init(
        configuration: PostgresEventStore.Configuration, index: InteractionIndex, relations: RelationIndex, queue: DispatchQueue,
        feedApplied: @escaping (Int) -> Void, recordsApplied: @escaping (RecordChanges) -> Void
    ) throws(EventStoreError) {
        queue.assertIsCurrent()
        self.configuration = configuration
        self.feedApplied = feedApplied
        self.recordsApplied = recordsApplied
        self.queue = queue
        self.index = index
        self.relations = relations
        explicitTypes = .array(configuration.explicitTypes.sorted().map { Optional($0) })
        do throws(PostgresError) {
            connection = try PostgresConnection(
                target: configuration.target, connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout)
        } catch {
            throw .postgres(error)
        }
        try migrate()
        // Everything committed so far, read like the feed reads what comes later.
        let loaded = try inSnapshot { () throws(EventStoreError) in try catchUp(atOpen: true) }
        index.apply(loaded.head)
        appliedSeq = loaded.seq
        try loadRelations()
    }

    deinit {
        connection.close()
    }

    /// Closes the connection; later writes fail with `closed`.
    func close() {
        queue.assertIsCurrent()
        isOpen = false
        connection.close()
    }

    /// Throws `closed` after `close()`. When the connection broke (the server went away), opens a new one — at
    /// most once per backoff interval, which doubles up to `maxBackoff` while the server stays away — and throws
    /// the connection error until that succeeds. The feed's cursor stays where it was, so the next poll after
    /// the reconnection reads what others committed meanwhile.
    func checkOpen() throws(EventStoreError) {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        guard !connection.isUsable else { return }
        markUnreachable()
        let now = ContinuousClock.now
        guard now >= reconnection.notBefore else {
            throw .postgres(PostgresError(kind: .connection, sqlState: nil,
                                          message: "\(configuration.target.redacted) is unreachable; reconnecting", statement: nil))
        }
        do throws(PostgresError) {
            connection.close()
            connection = try PostgresConnection(
                target: configuration.target, connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout)
            reconnection = (now, Self.firstBackoff)
        } catch {
            reconnection = (now + reconnection.backoff, min(reconnection.backoff * 2, Self.maxBackoff))
            throw .postgres(error)
        }
    }

    func markUnreachable() {
        if unreachableSince == nil { unreachableSince = EventValidator.currentTime() }
    }

    /// Runs `body`, turning a `PostgresError` into the store's error; notes whether the database answered.
    @discardableResult
    func attempt<Value>(_ body: () throws(PostgresError) -> Value) throws(EventStoreError) -> Value {
        do throws(PostgresError) {
            let value = try body()
            unreachableSince = nil
            return value
        } catch {
            if error.kind == .connection || !connection.isUsable { markUnreachable() }
            throw .postgres(error)
        }
    }

    // MARK: Opening

    private func migrate() throws(EventStoreError) {
        let target = configuration.target.redacted
        let current = PostgresSchema.currentVersion
        try attempt { () throws(PostgresError) in
            try connection.inTransaction { () throws(PostgresError) in
                // One process migrates; the others wait here and then find the work done.
                try connection.run(PostgresSchema.lock, [.int(PostgresSchema.migrationLock)])
                var version = 0
                if try connection.run(PostgresSchema.schemaTableExists).bool(0, 0) {
                    version = Int(try connection.run(PostgresSchema.selectVersion).int64(0, 0))
                } else {
                    let tables = try connection.run(PostgresSchema.countTables).int64(0, 0)
                    if tables != 0 {
                        throw PostgresError(kind: .statement, sqlState: "RCS01",
                                            message: "it already holds \(tables) tables and no recsmith_schema", statement: nil)
                    }
                }
                guard version <= current else {
                    throw PostgresError(kind: .statement, sqlState: "RCS02", message: "schema version \(version)", statement: nil)
                }
                for step in version..<current {
                    try connection.execute(PostgresSchema.migrations[step])
                }
                if version < current { try connection.run(PostgresSchema.setVersion, [.int(current)]) }
            }
        } translating: { error in
            // The two refusals above are ours, not the server's: report them as the SQLite store does.
            switch error.sqlState {
            case "RCS01": .foreignDatabase(path: target, detail: error.message)
            case "RCS02": .newerSchema(path: target, found: Int(error.message.split(separator: " ").last ?? "") ?? 0,
                                        supported: current)
            default: nil
            }
        }
    }

    // MARK: Locked transactions

    /// What a transaction under the write lock has read and claimed so far.
    struct LockedTransaction {
        /// Others' names and events first (from `catchUp`), then this transaction's.
        var changes: IndexChanges
        /// The feed position after this transaction.
        var seq: Int64
        /// Events other processes committed, applied with this transaction.
        var feedEvents: Int
        let userBase: Int
        let itemBase: Int
        var newUsers: [ExactID: Int32] = [:]
        var newItems: [ExactID: Int32] = [:]
        /// Names this transaction claims, with their indices, for one insert per table.
        var claimedUsers: [(index: Int32, name: String)] = []
        var claimedItems: [(index: Int32, name: String)] = []
        /// What this transaction changed besides events, for the other processes' feeds (`PostgresWriter.note`).
        var noted: [PostgresFeedRead.Change] = []

        init(changes: IndexChanges, seq: Int64, feedEvents: Int, userBase: Int, itemBase: Int) {
            self.changes = changes
            self.seq = seq
            self.feedEvents = feedEvents
            self.userBase = userBase
            self.itemBase = itemBase
            for (offset, name) in changes.newUsers.enumerated() where !name.isEmpty {
                newUsers[ExactID(name)] = Int32(userBase + offset)
            }
            for (offset, name) in changes.newItems.enumerated() { newItems[ExactID(name)] = Int32(itemBase + offset) }
        }

        /// The user's index, known or claimed in this transaction; nil for a user not seen yet.
        func user(_ name: String, in index: InteractionIndex) -> Int32? {
            index.writerUserIndex(name) ?? newUsers[ExactID(name)]
        }

        /// The item's index, known or claimed in this transaction; nil for an item not seen yet.
        func item(_ name: String, in index: InteractionIndex) -> Int32? {
            index.writerItemIndex(name) ?? newItems[ExactID(name)]
        }

        /// The user's index, claiming the next one for a new user; its row is inserted before the commit
        /// unless `inserting` is false (the caller inserts it, with its record).
        mutating func claimUser(_ name: String, in index: InteractionIndex, inserting: Bool = true) throws(EventStoreError) -> Int32 {
            if let known = user(name, in: index) { return known }
            let next = userBase + changes.newUsers.count
            guard next < Int(Int32.max) else { throw .capacityExceeded("more than Int32.max users") }
            newUsers[ExactID(name)] = Int32(next)
            changes.newUsers.append(name)
            if inserting { claimedUsers.append((Int32(next), name)) }
            return Int32(next)
        }

        /// The item's index, claiming the next one for a new item; its row is inserted before the commit
        /// unless `inserting` is false (the caller inserts it, with its record).
        mutating func claimItem(_ name: String, in index: InteractionIndex, inserting: Bool = true) throws(EventStoreError) -> Int32 {
            if let known = item(name, in: index) { return known }
            let next = itemBase + changes.newItems.count
            guard next < Int(Int32.max) else { throw .capacityExceeded("more than Int32.max items") }
            newItems[ExactID(name)] = Int32(next)
            changes.newItems.append(name)
            if inserting { claimedItems.append((Int32(next), name)) }
            return Int32(next)
        }
    }

    /// Runs `body` in a transaction holding the write lock, after reading what others committed meanwhile;
    /// inserts the names `body` claimed, commits, and only then publishes everything to `index` (and tells
    /// `feedApplied` of the other processes' events).
    func locked<Value>(_ body: (inout LockedTransaction) throws(EventStoreError) -> Value) throws(EventStoreError) -> Value {
        queue.assertIsCurrent()
        try checkOpen()
        connection.rollbackIfNeeded()
        try attempt { () throws(PostgresError) in
            try connection.execute("BEGIN")
            try connection.run(PostgresSchema.lock, [.int(PostgresSchema.writeLock)])
        }
        do throws(EventStoreError) {
            let found = try catchUp()
            var transaction: LockedTransaction
            if found.steps.isEmpty {
                transaction = LockedTransaction(
                    changes: found.head, seq: found.seq, feedEvents: found.events,
                    userBase: index.writerUserCount, itemBase: index.writerItemCount)
            } else {
                // Others' purges, erasures or records (rare): committed already, so applied now, in their order,
                // before this transaction claims anything.
                apply(found)
                transaction = LockedTransaction(
                    changes: IndexChanges(), seq: found.seq, feedEvents: 0, userBase: index.writerUserCount, itemBase: index.writerItemCount)
            }
            let value = try body(&transaction)
            try attempt { () throws(PostgresError) in
                if !transaction.claimedUsers.isEmpty {
                    try connection.run(PostgresSchema.insertUsers, [
                        .array(transaction.claimedUsers.map { $0.index + 1 }), .array(transaction.claimedUsers.map { Optional($0.name) }),
                    ])
                }
                if !transaction.claimedItems.isEmpty {
                    try connection.run(PostgresSchema.insertItems, [
                        .array(transaction.claimedItems.map { $0.index + 1 }), .array(transaction.claimedItems.map { Optional($0.name) }),
                    ])
                }
                if let seq = try note(transaction.noted) { transaction.seq = max(transaction.seq, seq) }
                try connection.execute("COMMIT")
            }
            index.apply(transaction.changes)
            appliedSeq = transaction.seq
            if transaction.feedEvents > 0 { feedApplied(transaction.feedEvents) }
            return value
        } catch {
            connection.rollbackIfNeeded()
            throw error
        }
    }

    /// Reserves `count` consecutive `seq` values (under the write lock) and returns the first.
    func reserveSeqs(_ count: Int) throws(EventStoreError) -> Int64 {
        try attempt { () throws(PostgresError) in try connection.run(PostgresSchema.reserveSeqs, [.int(count)]).int64(0, 0) }
    }

    // MARK: Events

    /// Stores served lists and several requests' events in one transaction (the lists first, so events can be
    /// attributed to them) and publishes them to `index` after the commit; all or nothing. `bulk` looks the
    /// batch's event ids up through a temporary table instead of an array parameter.
    func write(_ requests: [[Event]], lists: [ServedList] = [], now: Double, bulk: Bool = false) throws(EventStoreError) -> [AppendResult] {
        try locked { (transaction: inout LockedTransaction) throws(EventStoreError) -> [AppendResult] in
            var ledger = PostgresLedger(connection: connection, conversionTypes: configuration.conversionTypes)
            if !lists.isEmpty {
                let known = transaction
                try ledger.remember(lists) { name in known.item(name, in: index) }
            }
            let stored = try storedIDs(of: requests, bulk: bulk)
            var seen = Set<ExactID>()
            var fresh: [Event] = []
            var results: [AppendResult] = []
            results.reserveCapacity(requests.count)
            for events in requests {
                var result = AppendResult(accepted: 0, duplicates: 0)
                for event in events {
                    if let id = event.id {
                        let key = ExactID(id)
                        guard !stored.contains(key), seen.insert(key).inserted else {
                            result.duplicates += 1
                            continue
                        }
                    }
                    fresh.append(event)
                    result.accepted += 1
                }
                results.append(result)
            }
            guard !fresh.isEmpty else {
                try ledger.writeCounts()
                return results
            }
            let first = try reserveSeqs(fresh.count)
            let accepted = try copyEvents(fresh, firstSeq: first, into: &transaction)
            transaction.seq = first + Int64(accepted.count) - 1
            try writeActivity()
            // Attribution, request by request in order, with the seq each accepted event was stored under.
            try ledger.load(Set(accepted.compactMap(\.event.recommendationID)))
            var position = 0
            for request in requests.indices {
                let count = results[request].accepted
                let mine = accepted[position..<position + count]
                for (offset, entry) in zip(mine.indices, mine) {
                    guard let listID = entry.event.recommendationID else { continue }
                    if let attribution = try ledger.attribute(
                        entry.event, listID: listID, seq: first + Int64(offset), item: entry.item, now: now) {
                        results[request].attributions.append(attribution)
                    } else {
                        results[request].unattributed += 1
                    }
                }
                position += count
            }
            try ledger.writeCounts()
            return results
        }
    }

    /// Streams `events` into `events` with one `COPY`, claiming their users and items in order as it goes: the
    /// server stores each chunk of rows while the next is encoded. Adds them to the transaction's changes and
    /// `activity`; returns each event with its user and item.
    private func copyEvents(
        _ events: [Event], firstSeq first: Int64, into transaction: inout LockedTransaction
    ) throws(EventStoreError) -> [(event: Event, user: Int32, item: Int32)] {
        var accepted: [(event: Event, user: Int32, item: Int32)] = []
        accepted.reserveCapacity(events.count)
        var rows = CopyRows()
        activity.removeAll()
        let sql = PostgresSchema.copyEvents
        try attempt { () throws(PostgresError) in try connection.beginCopy(sql) }
        for (offset, event) in events.enumerated() {
            let user: Int32, item: Int32
            do throws(EventStoreError) {
                user = try transaction.claimUser(event.user, in: index)
                item = try transaction.claimItem(event.item, in: index)
            } catch {
                connection.abortCopy("recsmith refused the batch")
                throw error
            }
            accepted.append((event, user, item))
            rows.append(first + Int64(offset))
            rows.append(Int64(user) + 1)
            rows.append(Int64(item) + 1)
            rows.append(event.type)
            rows.append(Double(event.weight))
            rows.append(event.timestamp)
            rows.append(event.id)
            rows.append(event.recommendationID)
            rows.endRow()
            transaction.changes.interactions.append(
                PendingInteraction(user: user, item: item, weight: event.weight, timestamp: event.timestamp))
            if configuration.explicitTypes.contains(event.type) {
                transaction.changes.ratings.append(PendingRating(user: user, item: item, value: event.weight, timestamp: event.timestamp))
            }
            activity.add(timestamp: event.timestamp, type: event.type)
            if rows.bytes.count >= Self.copyFlushBytes {
                try attempt { () throws(PostgresError) in try connection.sendCopyData(&rows, for: sql) }
            }
        }
        try attempt { () throws(PostgresError) in
            try connection.sendCopyData(&rows, for: sql)
            try connection.endCopy(sql)
        }
        return accepted
    }

    /// The event ids of `requests` already stored: through an array parameter, or for a bulk import through a
    /// temporary table filled by `COPY`.
    private func storedIDs(of requests: [[Event]], bulk: Bool) throws(EventStoreError) -> Set<ExactID> {
        var ids: [String] = []
        for events in requests { for event in events { if let id = event.id { ids.append(id) } } }
        guard !ids.isEmpty else { return [] }
        return try attempt { () throws(PostgresError) -> Set<ExactID> in
            let result: PostgresResult
            if bulk {
                try connection.execute(PostgresSchema.createIncomingIDs)
                var rows = CopyRows()
                for id in ids {
                    rows.append(id)
                    rows.endRow()
                }
                try connection.copy(PostgresSchema.copyIncomingIDs, rows: rows)
                result = try connection.run(PostgresSchema.storedIncomingIDs)
            } else {
                result = try connection.run(PostgresSchema.storedEventIDs, [.array(ids.map { Optional($0) })])
            }
            var stored = Set<ExactID>(minimumCapacity: result.rowCount)
            for row in 0..<result.rowCount { stored.insert(ExactID(result.text(row, 0))) }
            return stored
        }
    }

    /// Adds the transaction's events per hour and type to `event_activity`.
    private func writeActivity() throws(EventStoreError) {
        var hours: [Int64] = [], types: [String?] = [], counts: [Int64] = []
        try activity.forEachCount { hour, type, events throws(EventStoreError) in
            hours.append(hour)
            types.append(type)
            counts.append(Int64(events))
        }
        guard !hours.isEmpty else { return }
        try attempt { () throws(PostgresError) in
            try connection.run(PostgresSchema.addActivity, [.array(hours), .array(types), .array(counts)])
        }
    }

    // MARK: Relations at open

    /// Reads every stored relation into `relations`.
    private func loadRelations() throws(EventStoreError) {
        let itemCount = Int64(index.writerItemCount)
        var loaded: [(key: RelationIndex.Key, weight: Float)] = []
        try attempt { () throws(PostgresError) in
            let rows = try connection.run(PostgresStatement("select_relations", "SELECT source, target, type, weight FROM relations"))
            for row in 0..<rows.rowCount {
                let source = rows.int64(row, 0), target = rows.int64(row, 1)
                guard source >= 1, source <= itemCount, target >= 1, target <= itemCount else {
                    throw PostgresError(kind: .statement, sqlState: "RCS03",
                                        message: "a relation refers to item \(source) or \(target), which do not exist", statement: nil)
                }
                loaded.append((RelationIndex.Key(from: Int32(source - 1), to: Int32(target - 1), type: rows.text(row, 2)),
                               Float(rows.double(row, 3))))
            }
        } translating: { error in
            error.sqlState == "RCS03" ? .inconsistentData(path: configuration.target.redacted, detail: error.message) : nil
        }
        relations.apply(loaded)
    }
}

extension PostgresWriter {
    /// Runs `body`, turning a `PostgresError` into the store's error: `translate`'s answer when it has one
    /// (for the refusals the store raises itself), else `.postgres`.
    @discardableResult
    func attempt<Value>(
        _ body: () throws(PostgresError) -> Value, translating translate: (PostgresError) -> EventStoreError?
    ) throws(EventStoreError) -> Value {
        do throws(PostgresError) {
            let value = try body()
            unreachableSince = nil
            return value
        } catch {
            if error.kind == .connection || !connection.isUsable { markUnreachable() }
            throw translate(error) ?? .postgres(error)
        }
    }
}
