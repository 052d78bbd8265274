internal import CSQLite

/// A prepared statement. Confined to the thread that owns its connection.
final class SQLiteStatement {
    private let handle: OpaquePointer
    /// The SQL text, for error messages (never bound values).
    let sql: String
    private let connection: SQLiteConnection

    init(handle: OpaquePointer, sql: String, connection: SQLiteConnection) {
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds an integer to the 1-based parameter `index`.
    func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds a real number.
    func bind(_ value: Double, at index: Int32) {
        sqlite3_bind_double(handle, index, value)
    }

    /// Binds text (copied by SQLite), or NULL for nil.
    func bind(_ value: String?, at index: Int32) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { text in
                // A nil base address would bind NULL, so an empty string points at a static empty C string.
                if let base = text.baseAddress {
                    _ = csqlite_bind_text_transient(handle, index, base, Int32(text.count))
                } else {
                    _ = csqlite_bind_text_transient(handle, index, "", 0)
                }
            }
        }
    }

    /// Binds the bytes of a blob (copied by SQLite).
    func bind(blob value: [UInt8], at index: Int32) {
        value.withUnsafeBytes { bytes in
            // A nil base address would bind NULL, so an empty blob points at a static empty C string.
            _ = csqlite_bind_blob_transient(handle, index, bytes.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start),
                                            Int32(bytes.count))
        }
    }

    /// Advances; returns true when a row is ready, false when the statement is done (and then resets it).
    @discardableResult
    func step() throws(EventStoreError) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        let error = code == SQLITE_DONE ? nil : connection.error(code, sql: sql)
        sqlite3_reset(handle)
        if let error { throw error }
        return false
    }

    /// Runs the statement to completion with its current bindings.
    func run() throws(EventStoreError) {
        while try step() {}
    }

    /// Ends a read early so the statement can be reused.
    func reset() {
        sqlite3_reset(handle)
    }

    /// Integer value of a result column.
    func int64(at column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// Real value of a result column.
    func double(at column: Int32) -> Double {
        sqlite3_column_double(handle, column)
    }

    /// True when a result column is NULL.
    func isNull(at column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    /// Calls `body` with the bytes of a blob column (empty for NULL), valid only during the call.
    func withBlob<Result>(at column: Int32, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let bytes = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return body(UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : count))
    }

    /// Result columns of the statement.
    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// A result column's value as SQLite stored it.
    func value(at column: Int32) -> SQLiteStoreReader.Value {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(int64(at: column))
        case SQLITE_FLOAT: .real(double(at: column))
        case SQLITE_BLOB: .blob(withBlob(at: column) { Array($0) })
        default: .text(text(at: column))
        }
    }

    /// Text value of a result column (empty for NULL).
    func text(at column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
}
