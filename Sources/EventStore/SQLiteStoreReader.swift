/// Reads a store file's tables row by row (`recsmith migrate`): read-only, in one read transaction — one
/// snapshot of the file even while a server writes to it — each value as SQLite stored it. Rows are handed
/// over one at a time, so memory stays flat whatever the store holds.
///
/// Confined to the thread that opened it.
package final class SQLiteStoreReader {
    /// One column's value.
    package enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
        case blob([UInt8])
    }

    private let connection: SQLiteConnection

    /// Opens the store at `path`, which must be a Recsmith store of this build's schema, and starts the snapshot.
    package init(path: String) throws(EventStoreError) {
        connection = try SQLiteConnection(path: path, readOnly: true)
        let applicationID = try connection.integer("PRAGMA application_id")
        let version = Int(try connection.integer("PRAGMA user_version"))
        guard applicationID == StoreSchema.applicationID else {
            connection.close()
            throw .foreignDatabase(path: path, detail: "application_id is \(applicationID), not Recsmith's")
        }
        guard version == StoreSchema.currentVersion else {
            connection.close()
            if version > StoreSchema.currentVersion { throw .newerSchema(path: path, found: version, supported: StoreSchema.currentVersion) }
            throw .foreignDatabase(path: path, detail: "schema version \(version) is older than this build's \(StoreSchema.currentVersion); "
                                   + "start `recsmith serve` on it once to upgrade it")
        }
        try connection.execute("BEGIN")
        // A read transaction starts at its first read: take the snapshot now.
        _ = try connection.integer("SELECT count(*) FROM sqlite_schema")
    }

    deinit {
        connection.close()
    }

    /// Ends the snapshot and closes the file.
    package func close() {
        try? connection.execute("COMMIT")
        connection.close()
    }

    /// Rows of `table`.
    package func count(_ table: String) throws(EventStoreError) -> Int {
        Int(try connection.integer("SELECT count(*) FROM \(table)"))
    }

    /// Runs `sql` (fixed text, no values) and hands `body` each row's values.
    package func rows(_ sql: String, _ body: ([Value]) throws -> Void) throws {
        let statement = try connection.prepare(sql)
        let columns = statement.columnCount
        var values: [Value] = []
        values.reserveCapacity(Int(columns))
        while try statement.step() {
            values.removeAll(keepingCapacity: true)
            for column in 0..<columns { values.append(statement.value(at: column)) }
            try body(values)
        }
    }
}
