extension SQLiteEventStore {
    /// Calls `body` with every stored event, in the order they were stored, read through a separate
    /// read-only connection so ingest goes on meanwhile (WAL readers see the last committed state).
    package func exportEvents(_ body: (Event) throws -> Void) throws {
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let sql = """
            SELECT users.external, items.external, events.type, events.weight, events.timestamp,
                   events.external_id IS NOT NULL, events.external_id
            FROM events JOIN users ON users.id = events.user JOIN items ON items.id = events.item
            ORDER BY events.seq
            """
        let statement = try connection.prepare(sql)
        while try statement.step() {
            try body(Event(
                user: statement.text(at: 0), item: statement.text(at: 1), type: statement.text(at: 2),
                weight: Float(statement.double(at: 3)), timestamp: statement.double(at: 4),
                id: statement.int64(at: 5) != 0 ? statement.text(at: 6) : nil))
        }
    }
}
