/// What SQLite reported for a failed call: result codes, its message and the statement's SQL text.
///
/// The SQL is the prepared text with `?` placeholders; bound values (user ids, item ids) never appear.
package struct SQLiteFailure: Sendable, Hashable, CustomStringConvertible {
    /// Primary result code (`SQLITE_FULL`, `SQLITE_BUSY`, …).
    package var code: Int32
    /// Extended result code (`SQLITE_IOERR_FSYNC`, …); equals `code` when SQLite gave none.
    package var extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`).
    package var message: String
    /// The statement that failed, if a statement was involved.
    package var sql: String?

    /// Creates a failure record.
    package init(code: Int32, extendedCode: Int32, message: String, sql: String?) {
        self.code = code
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// `SQLite error 13/13 (database or disk is full) in: COMMIT`.
    package var description: String {
        let base = "SQLite error \(code)/\(extendedCode) (\(message))"
        guard let sql else { return base }
        return base + " in: " + sql
    }
}
