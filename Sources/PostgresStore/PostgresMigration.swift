import EventStore

/// `recsmith migrate`: copies an SQLite store into an empty PostgreSQL database, table by table through `COPY`,
/// in one transaction under the store's write lock, keeping every id's number — so model sets trained on the
/// SQLite store stay valid for the PostgreSQL one — and then checks that each table holds as many rows as the
/// file did.
///
/// Copied: users and items (names, records, deletions, erased users' tombstones), events (sequence numbers,
/// idempotency ids, recommendation ids, timestamps, weights, types — ratings are events of explicit types),
/// relations, the hourly activity, served lists, attributions, the online counts and experiment outcomes.
/// Not copied: model sets (files in `models_dir`; the first pass on PostgreSQL publishes one). Memory stays flat:
/// rows stream from SQLite into `COPY` batches of `batchRows`.
package struct PostgresMigration {
    /// One table's rows in the file and in the database after the copy.
    package struct TableCount: Sendable, Equatable {
        package let table: String
        package let source: Int
        package let target: Int
    }

    /// Why a migration stopped.
    package enum Failure: Error, CustomStringConvertible {
        /// The database already holds rows (and `force` was not given).
        case targetNotEmpty(database: String, rows: Int)
        /// A table's count differs after the copy (the transaction was committed; something wrote beside it).
        case countMismatch([TableCount])

        package var description: String {
            switch self {
            case let .targetNotEmpty(database, rows):
                "\(database) already holds \(rows) users, items, events or relations; migrate into an empty database, "
                    + "or give --force to empty it first"
            case let .countMismatch(counts):
                "the copy does not match: " + counts.filter { $0.source != $0.target }
                    .map { "\($0.table) \($0.source) in the file, \($0.target) in the database" }.joined(separator: "; ")
            }
        }
    }

    /// One table: what to read from SQLite and the `COPY` it goes to, column for column.
    private struct Table {
        let name: String
        let select: String
        let copy: String
    }

    private static let tables: [Table] = [
        Table(name: "users", select: "SELECT id, external, record FROM users", copy: "COPY users (id, external, record) FROM STDIN"),
        Table(name: "items", select: "SELECT id, external, record, deleted FROM items",
              copy: "COPY items (id, external, record, deleted) FROM STDIN"),
        Table(name: "events", select: "SELECT seq, user, item, type, weight, timestamp, external_id, recommendation_id FROM events",
              copy: "COPY events (seq, user_id, item_id, type, weight, ts, external_id, recommendation_id) FROM STDIN"),
        Table(name: "relations", select: "SELECT source, target, type, weight FROM relations",
              copy: "COPY relations (source, target, type, weight) FROM STDIN"),
        Table(name: "event_activity", select: "SELECT hour, type, events FROM event_activity",
              copy: "COPY event_activity (hour, type, events) FROM STDIN"),
        Table(name: "served_lists",
              select: "SELECT id, served_at, expires_at, user, model, version, experiment, variant, items, weight, attributed, converted FROM served_lists",
              copy: "COPY served_lists (id, served_at, expires_at, user_name, model, version, experiment, variant, items, weight, attributed, converted) FROM STDIN"),
        Table(name: "attributions", select: "SELECT event, list, served_at, experiment, variant, model, position FROM attributions",
              copy: "COPY attributions (event, list, served_at, experiment, variant, model, position) FROM STDIN"),
        Table(name: "online_lists",
              select: "SELECT minute, experiment, variant, model, lists, weighted, attributed_lists, converted_lists FROM online_lists",
              copy: "COPY online_lists (minute, experiment, variant, model, lists, weighted, attributed_lists, converted_lists) FROM STDIN"),
        Table(name: "online_events", select: "SELECT minute, experiment, variant, model, type, position, events FROM online_events",
              copy: "COPY online_events (minute, experiment, variant, model, type, position, events) FROM STDIN"),
        Table(name: "experiment_outcomes", select: "SELECT name, winner, stopped_at FROM experiment_outcomes",
              copy: "COPY experiment_outcomes (name, winner, stopped_at) FROM STDIN"),
    ]

    /// Rows sent per `COPY`.
    static let batchRows = 50_000

    let target: PostgresTarget

    /// A migration into the database at `target`.
    package init(target: PostgresTarget) {
        self.target = target
    }

    /// Copies everything `source` holds; with `force`, empties the database first (its model sets too: they
    /// were trained on other ids). `progress` is told each table's name and rows as it is done. Returns the
    /// counts, checked equal.
    package func run(from source: SQLiteStoreReader, force: Bool, progress: (String, Int) -> Void) throws -> [TableCount] {
        // Creates or upgrades the schema exactly as a server would (and refuses a database of other tables).
        try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: target)).close()
        let connection = try PostgresConnection(target: target, connectTimeout: .seconds(10), statementTimeout: nil)
        defer { connection.close() }
        var sourceCounts: [(table: String, rows: Int)] = []
        try connection.execute("BEGIN")
        do {
            // No other writer meanwhile: servers started early wait for the lock, then read what was copied.
            try connection.run(PostgresSchema.lock, [.int(PostgresSchema.writeLock)])
            let held = Int(try connection.execute("""
                SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM items) + (SELECT count(*) FROM events)
                       + (SELECT count(*) FROM relations)
                """).int64(0, 0))
            if held > 0 && !force { throw Failure.targetNotEmpty(database: target.redacted, rows: held) }
            if force {
                try connection.execute("TRUNCATE " + Self.tables.map(\.name).joined(separator: ", ") + ", changes, snapshots, snapshot_chunks")
            }
            for table in Self.tables {
                let rows = try copy(table, from: source, to: connection)
                sourceCounts.append((table.name, rows))
                progress(table.name, rows)
            }
            // The feed's sequence goes on after the last copied event; then every record and every item's relations
            // are announced on the feed, so a process already running on the database (started before the copy)
            // picks them up as it picks up the copied names and events.
            try connection.execute("SELECT setval('events_seq', max(seq)) FROM events HAVING max(seq) IS NOT NULL")
            typealias Change = PostgresFeedRead.Change
            try connection.execute("""
                INSERT INTO changes (kind, subject, seq)
                SELECT \(Change.itemRecordKind), id, nextval('events_seq') FROM items WHERE record IS NOT NULL OR deleted;
                INSERT INTO changes (kind, subject, seq)
                SELECT \(Change.userRecordKind), id, nextval('events_seq') FROM users WHERE record IS NOT NULL;
                INSERT INTO changes (kind, subject, seq)
                SELECT \(Change.relationsKind), source, nextval('events_seq') FROM (SELECT DISTINCT source FROM relations) AS s;
                """)
            try connection.execute("COMMIT")
        } catch {
            connection.rollbackIfNeeded()
            throw error
        }
        var counts: [TableCount] = []
        for (table, rows) in sourceCounts {
            counts.append(TableCount(table: table, source: rows,
                                     target: Int(try connection.execute("SELECT count(*) FROM \(table)").int64(0, 0))))
        }
        guard counts.allSatisfy({ $0.source == $0.target }) else { throw Failure.countMismatch(counts) }
        return counts
    }

    /// Streams one table into `COPY` batches; returns the rows read.
    private func copy(_ table: Table, from source: SQLiteStoreReader, to connection: PostgresConnection) throws -> Int {
        var rows = CopyRows()
        var count = 0, pending = 0
        try source.rows(table.select) { values in
            for value in values {
                switch value {
                case .null: rows.append(nil as String?)
                case .integer(let number): rows.append(number)
                case .real(let number): rows.append(number)
                case .text(let text): rows.append(text)
                case .blob(let bytes): rows.append(Self.itemArray(bytes))
                }
            }
            rows.endRow()
            count += 1
            pending += 1
            if pending == Self.batchRows {
                try connection.copy(table.copy, rows: rows)
                rows.removeAll()
                pending = 0
            }
        }
        if pending > 0 { try connection.copy(table.copy, rows: rows) }
        return count
    }

    /// A served list's items as SQLite packs them (little-endian 32-bit indices, -1 for an unknown item) in
    /// PostgreSQL's `integer[]` text form.
    static func itemArray(_ bytes: [UInt8]) -> String {
        var indices: [String] = []
        indices.reserveCapacity(bytes.count / 4)
        for offset in stride(from: 0, to: bytes.count - 3, by: 4) {
            let value = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
            indices.append(String(Int32(bitPattern: value)))
        }
        return "{" + indices.joined(separator: ",") + "}"
    }
}
