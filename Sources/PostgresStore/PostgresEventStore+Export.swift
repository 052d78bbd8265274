import EventStore

extension PostgresEventStore {
    /// Rows one read of an export takes (by `seq`), so a large store is never held in memory at once.
    static let exportChunk = 50_000

    /// Calls `body` with every stored event in the order they were stored, read in chunks by `seq` on a pooled
    /// connection (ingest goes on meanwhile; events committed during the export may or may not be included).
    package func exportEvents(_ body: (Event) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let chunk = try withReadConnection { connection throws(PostgresError) -> (events: [Event], last: Int64) in
                let rows = try connection.run(PostgresStatement("export_events", """
                    SELECT events.seq, users.external, items.external, events.type, events.weight, events.ts, events.external_id
                    FROM events JOIN users ON users.id = events.user_id JOIN items ON items.id = events.item_id
                    WHERE events.seq > $1 ORDER BY events.seq LIMIT $2
                    """), [.int(after), .int(Self.exportChunk)])
                let events = (0..<rows.rowCount).map { row in
                    Event(user: rows.text(row, 1), item: rows.text(row, 2), type: rows.text(row, 3), weight: Float(rows.double(row, 4)),
                          timestamp: rows.double(row, 5), id: rows.optionalText(row, 6))
                }
                return (events, rows.rowCount > 0 ? rows.int64(rows.rowCount - 1, 0) : after)
            }
            for event in chunk.events { try body(event) }
            guard chunk.events.count == Self.exportChunk else { return }
            after = chunk.last
        }
    }
}
