internal import CSQLite
import Dispatch
import EventFormats
import Locking

/// Owns the SQLite connection and does every database operation of an `EventStore`.
///
/// Not thread-safe by itself: it is made, used and closed only on the store's serial writer queue, which its
/// methods check in debug builds (`queue.assertIsCurrent()`; private ones are reached only through checked
/// ones). Only `deinit` runs wherever the store is released: nothing else can reach the writer then.
final class StoreWriter {
    private struct Statements {
        let begin: SQLiteStatement
        let commit: SQLiteStatement
        let rollback: SQLiteStatement
        let insertEvent: SQLiteStatement
        let insertUser: SQLiteStatement
        let insertItem: SQLiteStatement
        let addActivity: SQLiteStatement
    }

    /// Events read per chunk while rebuilding the in-memory index at open.

    /// The connection; used only on the writer queue.
    let connection: SQLiteConnection
    /// The store's settings.
    let configuration: SQLiteEventStore.Configuration
    /// The store's writer queue, for the debug checks.
    let queue: DispatchQueue
    /// The in-memory relations, filled at open and kept current by relation writes and purges.
    let relations: RelationIndex
    private var statements: Statements?
    /// Served lists and attribution, in the same transactions as the events.
    private var ledger: OnlineLedger?
    /// Events per hour and type of the transaction being written, for `event_activity`.
    private var activity = ActivityTally()

    /// Opens the file, applies settings and migrations, and fills `index` and `relations` from the tables; on `queue`.
    init(
        configuration: SQLiteEventStore.Configuration, index: InteractionIndex, relations: RelationIndex, queue: DispatchQueue
    ) throws(EventStoreError) {
        queue.assertIsCurrent()
        self.queue = queue
        self.relations = relations
        self.configuration = configuration
        connection = try SQLiteConnection(path: configuration.path, readOnly: configuration.readOnly)
        sqlite3_busy_timeout(connection.handle, Int32(clamping: configuration.busyTimeoutMilliseconds))
        try configure()
        try migrate()
        statements = Statements(
            begin: try connection.prepare("BEGIN IMMEDIATE", persistent: true),
            commit: try connection.prepare("COMMIT", persistent: true),
            rollback: try connection.prepare("ROLLBACK", persistent: true),
            insertEvent: try connection.prepare(StoreSchema.insertEvent, persistent: true),
            insertUser: try connection.prepare(StoreSchema.insertUser, persistent: true),
            insertItem: try connection.prepare(StoreSchema.insertItem, persistent: true),
            addActivity: try connection.prepare(StoreSchema.addActivity, persistent: true))
        ledger = try OnlineLedger(connection: connection, conversionTypes: configuration.conversionTypes)
        try load(into: index)
        try loadRelations(itemCount: index.writerItemCount)
    }

    deinit {
        // Only the store holds the writer, and every block on the queue retains the store: no block can use
        // the writer any more, so this runs unchecked on whichever thread released the store.
        statements = nil
        connection.close()
    }

    /// False once `close()` has run.
    var isOpen: Bool {
        queue.assertIsCurrent()
        return statements != nil
    }

    /// Finalizes the statements and closes the connection; later writes fail with `closed`.
    func close() {
        queue.assertIsCurrent()
        statements = nil
        ledger = nil
        connection.close()
    }

    // MARK: Opening

    private func configure() throws(EventStoreError) {
        // The first statement reads the header, so a file that is not SQLite fails here with notADatabase.
        _ = try connection.integer("PRAGMA application_id")
        if !configuration.readOnly {
            let mode = try connection.text("PRAGMA journal_mode = WAL")?.lowercased()
            guard mode == "wal" || mode == "memory" else {
                throw .cannotOpen(
                    path: configuration.path,
                    SQLiteFailure(
                        code: SQLITE_ERROR, extendedCode: SQLITE_ERROR,
                        message: "could not switch to WAL journal mode (got \(mode ?? "nothing"))",
                        sql: "PRAGMA journal_mode = WAL"))
            }
        }
        let synchronous = configuration.durability == .full ? "FULL" : "NORMAL"
        try connection.execute("PRAGMA synchronous = \(synchronous)")
        try connection.execute("PRAGMA cache_size = -\(max(configuration.cacheSizeKiB, 0))")
        try connection.execute("PRAGMA temp_store = MEMORY")
        // Deleted rows (erasure, purges) are overwritten with zeros rather than left in free space.
        try connection.execute("PRAGMA secure_delete = ON")
        if let pages = configuration.maxPageCount {
            _ = try connection.integer("PRAGMA max_page_count = \(max(pages, 1))")
        }
    }

    private func migrate() throws(EventStoreError) {
        let path = configuration.path
        let current = StoreSchema.currentVersion
        var version = Int(try connection.integer("PRAGMA user_version"))
        guard version <= current else { throw .newerSchema(path: path, found: version, supported: current) }
        try checkOwner(version: version)
        guard version < current else { return }
        guard !configuration.readOnly else { throw .needsMigration(path: path, found: version, required: current) }
        try connection.execute("BEGIN IMMEDIATE")
        do throws(EventStoreError) {
            // Another process may have migrated while this one waited for the lock.
            version = Int(try connection.integer("PRAGMA user_version"))
            guard version <= current else { throw .newerSchema(path: path, found: version, supported: current) }
            try checkOwner(version: version)
            for step in version..<current {
                for sql in StoreSchema.migrations[step] { try connection.execute(sql) }
            }
            try connection.execute("PRAGMA user_version = \(current)")
            try connection.execute("PRAGMA application_id = \(StoreSchema.applicationID)")
            try connection.execute("COMMIT")
        } catch {
            rollbackIfNeeded()
            throw error
        }
    }

    /// Refuses SQLite files that belong to another program: a foreign application id, or tables in an
    /// unversioned file.
    private func checkOwner(version: Int) throws(EventStoreError) {
        let path = configuration.path
        let applicationID = try connection.integer("PRAGMA application_id")
        if applicationID == StoreSchema.applicationID { return }
        if applicationID != 0 {
            throw .foreignDatabase(path: path, detail: "application_id is \(applicationID)")
        }
        if version != 0 {
            throw .foreignDatabase(path: path, detail: "user_version \(version) without the Recsmith application_id")
        }
        let tables = try connection.integer("SELECT count(*) FROM sqlite_schema")
        if tables != 0 {
            throw .foreignDatabase(path: path, detail: "it already holds \(tables) tables or indexes")
        }
    }

    private func load(into index: InteractionIndex) throws(EventStoreError) {
        var changes = IndexChanges()
        // An erased user's tombstone keeps its index, under no name.
        changes.newUsers = try loadNames(StoreSchema.selectUsers, table: "users").map {
            $0.hasPrefix(StoreSchema.erasedPrefix) ? "" : $0
        }
        changes.newItems = try loadNames(StoreSchema.selectItems, table: "items")
        let userCount = Int64(changes.newUsers.count)
        let itemCount = Int64(changes.newItems.count)
        // Column 4 says whether the event's type is explicit; SQLite compares it, so no type string is copied out.
        let explicitTypes = configuration.explicitTypes.sorted()
        let explicit = explicitTypes.isEmpty
            ? "0" : "type IN (\(explicitTypes.indices.map { "?\($0 + 1)" }.joined(separator: ", ")))"
        let events = try connection.prepare(
            "SELECT user, item, weight, timestamp, \(explicit) FROM events ORDER BY seq")
        for (offset, type) in explicitTypes.enumerated() { events.bind(type, at: Int32(offset + 1)) }
        changes.interactions.reserveCapacity(configuration.loadChunkSize)
        // Each full chunk is grouped by user on another core while the next one is read (a tenth of a large store's
        // opening), then applied here, in order.
        var inFlight: (changes: IndexChanges, aggregate: BackgroundValue<IndexChanges.Aggregate>)?
        func applyInFlight() {
            guard let (changes, aggregate) = inFlight else { return }
            index.apply(changes, aggregated: aggregate.wait())
            inFlight = nil
        }
        while try events.step() {
            let user = events.int64(at: 0)
            let item = events.int64(at: 1)
            guard user >= 1, user <= userCount, item >= 1, item <= itemCount else {
                events.reset()
                throw .inconsistentData(
                    path: configuration.path, detail: "an event refers to user \(user) or item \(item), which do not exist")
            }
            let interaction = PendingInteraction(
                user: Int32(user - 1), item: Int32(item - 1), weight: Float(events.double(at: 2)), timestamp: events.double(at: 3))
            changes.interactions.append(interaction)
            if events.int64(at: 4) != 0 {
                changes.ratings.append(PendingRating(
                    user: interaction.user, item: interaction.item, value: interaction.weight, timestamp: interaction.timestamp))
            }
            if changes.interactions.count == configuration.loadChunkSize {
                applyInFlight()
                let full = changes
                inFlight = (full, BackgroundValue { full.aggregated() })
                changes = IndexChanges()
                changes.interactions.reserveCapacity(configuration.loadChunkSize)
            }
        }
        applyInFlight()
        index.apply(changes)
    }

    private func loadNames(_ sql: String, table: String) throws(EventStoreError) -> [String] {
        let rows = try connection.prepare(sql)
        var names: [String] = []
        while try rows.step() {
            guard rows.int64(at: 0) == Int64(names.count) + 1 else {
                rows.reset()
                throw .inconsistentData(
                    path: configuration.path, detail: "\(table) ids are not dense (expected \(names.count + 1))")
            }
            names.append(rows.text(at: 1))
        }
        guard names.count <= Int(Int32.max) else { throw .capacityExceeded("more than Int32.max \(table)") }
        return names
    }

    // MARK: Writing

    /// Stores served lists and several requests' events in one transaction (the lists first, so events can be
    /// attributed to them) and publishes the events to `index` after the commit. Either everything is stored or,
    /// on any error, nothing is and the transaction is rolled back. `now` (unix seconds) decides which lists are
    /// still remembered.
    func write(
        _ requests: [[Event]], lists: [ServedList] = [], into index: InteractionIndex, now: Double
    ) throws(EventStoreError) -> [AppendResult] {
        queue.assertIsCurrent()
        guard let statements, let ledger else { throw .closed }
        rollbackIfNeeded()
        try statements.begin.run()
        var changes = IndexChanges()
        var results: [AppendResult] = []
        results.reserveCapacity(requests.count)
        activity.removeAll()
        ledger.beginTransaction()
        do throws(EventStoreError) {
            var newUsers: [ExactID: Int32] = [:]
            var newItems: [ExactID: Int32] = [:]
            let userBase = index.writerUserCount
            let itemBase = index.writerItemCount
            var boundType: String?
            var boundTypeIsExplicit = false
            if !lists.isEmpty {
                try ledger.remember(lists) { index.writerItemIndex($0) ?? newItems[ExactID($0)] }
            }
            for events in requests {
                var result = AppendResult(accepted: 0, duplicates: 0)
                for event in events {
                    let user = index.writerUserIndex(event.user) ?? newUsers[ExactID(event.user)]
                    let item = index.writerItemIndex(event.item) ?? newItems[ExactID(event.item)]
                    // A new id is only claimed once its event is really inserted, so duplicates leave no gaps.
                    let userIndex = try Self.index(user, next: userBase + changes.newUsers.count, kind: "users")
                    let itemIndex = try Self.index(item, next: itemBase + changes.newItems.count, kind: "items")
                    let insert = statements.insertEvent
                    insert.bind(Int64(userIndex) + 1, at: 1)
                    insert.bind(Int64(itemIndex) + 1, at: 2)
                    // Bindings survive a reset, and runs of events share a type, so rebind only on change.
                    if event.type != boundType {
                        insert.bind(event.type, at: 3)
                        boundType = event.type
                        boundTypeIsExplicit = configuration.explicitTypes.contains(event.type)
                    }
                    insert.bind(Double(event.weight), at: 4)
                    insert.bind(event.timestamp, at: 5)
                    insert.bind(event.id, at: 6)
                    insert.bind(event.recommendationID, at: 7)
                    try insert.run()
                    guard connection.changes == 1 else {
                        result.duplicates += 1
                        continue
                    }
                    if let listID = event.recommendationID {
                        let seq = connection.lastInsertedRowID
                        if let attribution = try ledger.attribute(event, listID: listID, seq: seq, item: itemIndex, now: now) {
                            result.attributions.append(attribution)
                        } else {
                            result.unattributed += 1
                        }
                    }
                    if user == nil {
                        statements.insertUser.bind(Int64(userIndex) + 1, at: 1)
                        statements.insertUser.bind(event.user, at: 2)
                        try statements.insertUser.run()
                        newUsers[ExactID(event.user)] = userIndex
                        changes.newUsers.append(event.user)
                    }
                    if item == nil {
                        statements.insertItem.bind(Int64(itemIndex) + 1, at: 1)
                        statements.insertItem.bind(event.item, at: 2)
                        try statements.insertItem.run()
                        newItems[ExactID(event.item)] = itemIndex
                        changes.newItems.append(event.item)
                    }
                    changes.interactions.append(
                        PendingInteraction(user: userIndex, item: itemIndex, weight: event.weight, timestamp: event.timestamp))
                    activity.add(timestamp: event.timestamp, type: event.type)
                    if boundTypeIsExplicit {
                        changes.ratings.append(
                            PendingRating(user: userIndex, item: itemIndex, value: event.weight, timestamp: event.timestamp))
                    }
                    result.accepted += 1
                }
                results.append(result)
            }
            try activity.forEachCount { hour, type, events throws(EventStoreError) in
                statements.addActivity.bind(hour, at: 1)
                statements.addActivity.bind(type, at: 2)
                statements.addActivity.bind(Int64(events), at: 3)
                try statements.addActivity.run()
            }
            try ledger.writeCounts()
            try statements.commit.run()
        } catch {
            rollbackIfNeeded()
            throw error
        }
        index.apply(changes)
        return results
    }

    /// Forgets the served lists whose retention ended by `now`, in a transaction of its own.
    func forgetServedLists(before now: Double) throws(EventStoreError) -> Int {
        queue.assertIsCurrent()
        guard let ledger else { throw .closed }
        return try ledger.forget(before: now)
    }

    /// The known index, or else the next free one (which must still fit in `Int32`).
    private static func index(_ known: Int32?, next: Int, kind: String) throws(EventStoreError) -> Int32 {
        if let known { return known }
        guard next < Int(Int32.max) else { throw .capacityExceeded("more than Int32.max \(kind)") }
        return Int32(next)
    }

    /// Ends a transaction left open by a failure (SQLite rolls some failures back by itself, others not).
    private func rollbackIfNeeded() {
        guard connection.isInTransaction else { return }
        if let rollback = statements?.rollback {
            try? rollback.run()
        } else {
            try? connection.execute("ROLLBACK")
        }
    }
}
