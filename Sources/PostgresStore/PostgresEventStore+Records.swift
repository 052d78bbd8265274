import EventFormats
import EventStore

/// Catalogue records, erasure, relation writes and the experiment outcomes: each a transaction on the writer
/// queue, waited for.
extension PostgresEventStore {
    package func writeItems(_ writes: [ItemWrite]) throws(EventStoreError) -> [ItemWriteOutcome] {
        try onWriter { () throws(EventStoreError) in try writer.write(writes) }
    }

    package func writeUserRecords(_ records: [(user: String, record: String?)]) throws(EventStoreError) -> [Int32] {
        try onWriter { () throws(EventStoreError) in try writer.writeUserRecords(records) }
    }

    /// Erases and, once committed, asks for a `VACUUM` of the tables it deleted from (`PostgresVacuum`), which
    /// runs beside the requests.
    package func eraseUser(_ id: String) throws(EventStoreError) -> Int? {
        let deleted = try onWriter { () throws(EventStoreError) in try writer.erase(user: id) }
        if deleted != nil { vacuum.request() }
        return deleted
    }

    /// `VACUUM` runs after erasures so far, and the last one's failure (nil when it succeeded).
    package var vacuumOutcome: (runs: Int, failure: PostgresError?) { vacuum.outcome }

    package func writeRelations(_ relations: [Relation]) throws(EventStoreError) -> RelationWriteResult {
        try onWriter { () throws(EventStoreError) in try writer.write(relations) }
    }

    package func storedRecords() throws(EventStoreError) -> StoredRecords {
        try onWriter { () throws(EventStoreError) in try writer.checkOpen() }
        return try withReadConnection { connection throws(PostgresError) in
            var records = StoredRecords()
            let items = try connection.run(PostgresStatement(
                "select_item_records", "SELECT id, record, deleted FROM items WHERE record IS NOT NULL OR deleted ORDER BY id"))
            for row in 0..<items.rowCount {
                records.items.append(StoredRecords.Item(
                    index: Int32(items.int64(row, 0) - 1), json: items.optionalText(row, 1), deleted: items.bool(row, 2)))
            }
            let users = try connection.run(PostgresStatement(
                "select_user_records", "SELECT id, record FROM users WHERE record IS NOT NULL ORDER BY id"))
            for row in 0..<users.rowCount { records.users.append((Int32(users.int64(row, 0) - 1), users.text(row, 1))) }
            return records
        }
    }

    package func experimentOutcomes() throws(EventStoreError) -> [ExperimentOutcome] {
        try withReadConnection { connection throws(PostgresError) in
            let rows = try connection.run(PostgresStatement(
                "select_outcomes", "SELECT name, winner, stopped_at FROM experiment_outcomes ORDER BY stopped_at"))
            return (0..<rows.rowCount).map {
                ExperimentOutcome(name: rows.text($0, 0), winner: rows.text($0, 1), stoppedAt: rows.double($0, 2))
            }
        }
    }

    package func recordExperimentOutcome(_ outcome: ExperimentOutcome) throws(EventStoreError) {
        try onWriter { () throws(EventStoreError) in
            try writer.checkOpen()
            _ = try writer.attempt { () throws(PostgresError) in
                try writer.connection.run(PostgresStatement("upsert_outcome", """
                    INSERT INTO experiment_outcomes (name, winner, stopped_at) VALUES ($1, $2, $3)
                    ON CONFLICT (name) DO UPDATE SET winner = excluded.winner, stopped_at = excluded.stopped_at
                    """), [.text(outcome.name), .text(outcome.winner), .double(outcome.stoppedAt)])
            }
        }
    }

    package func forgetServedLists(before now: Double) throws(EventStoreError) -> Int {
        try onWriter { () throws(EventStoreError) in
            try writer.checkOpen()
            return try PostgresLedger.forget(before: now, on: writer.connection)
        }
    }
}
