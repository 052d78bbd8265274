internal import CSQLite

/// One SQLite connection. Not thread-safe: each is used by one thread at a time and never shared — the
/// store's own only through `StoreWriter`, on the writer queue (whose methods check it); the others inside
/// the one function that opens them (a backup's destination, on the writer queue too; `exportEvents`'
/// read-only connection, on the caller's thread).
final class SQLiteConnection {
    /// The `sqlite3*` handle.
    let handle: OpaquePointer
    /// The file it was opened on, for error messages.
    let path: String

    /// Opens (and, unless `readOnly`, creates) a database file.
    init(path: String, readOnly: Bool) throws(EventStoreError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw .cannotOpen(
                path: path, SQLiteFailure(code: code & 0xFF, extendedCode: code, message: message, sql: nil))
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
    }

    private var isClosed = false

    deinit {
        close()
    }

    /// Closes the connection (once); statements still alive are finalized by their owners later.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        sqlite3_close_v2(handle)
    }

    /// Builds the error for a failed call, reading SQLite's current message for this connection.
    func error(_ code: Int32, sql: String?) -> EventStoreError {
        let failure = SQLiteFailure(
            code: code & 0xFF, extendedCode: sqlite3_extended_errcode(handle),
            message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        return EventStoreError.from(failure, path: path)
    }

    /// Compiles one statement; `persistent` tells SQLite it will be reused many times.
    func prepare(_ sql: String, persistent: Bool = false) throws(EventStoreError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql: sql) }
        return SQLiteStatement(handle: statement, sql: sql, connection: self)
    }

    /// Runs one statement that returns no rows (or whose rows are not needed).
    func execute(_ sql: String) throws(EventStoreError) {
        let statement = try prepare(sql)
        while try statement.step() {}
    }

    /// Runs a statement and returns the first column of its first row as an integer.
    func integer(_ sql: String) throws(EventStoreError) -> Int64 {
        let statement = try prepare(sql)
        guard try statement.step() else { return 0 }
        return statement.int64(at: 0)
    }

    /// Runs a statement and returns the first column of its first row as text.
    func text(_ sql: String) throws(EventStoreError) -> String? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.text(at: 0)
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    var changes: Int32 { sqlite3_changes(handle) }

    /// The rowid of the most recent successful INSERT.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True inside an explicit transaction.
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}
