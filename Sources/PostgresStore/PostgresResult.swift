internal import CLibPQ
#if canImport(Glibc)
import Glibc
#endif

/// The rows a statement returned. Owns its `PGresult` (cleared when the value goes away); read it on the
/// thread that ran the statement.
package final class PostgresResult {
    private let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    /// Rows returned.
    package var rowCount: Int { Int(PQntuples(handle)) }

    /// Columns of each row.
    package var columnCount: Int { Int(PQnfields(handle)) }

    /// Rows an INSERT, UPDATE, DELETE or COPY changed (0 for other statements).
    package var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// True when the column is NULL in the row.
    package func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) != 0
    }

    /// The column's text ("" for NULL).
    package func text(_ row: Int, _ column: Int) -> String {
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return "" }
        return value.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Calls `body` with a column's bytes as they came (a `bytea` of a binary-format result) in place, valid only
    /// during the call: nothing is copied.
    package func withBytes<Value>(_ row: Int, _ column: Int, _ body: (UnsafeRawBufferPointer) throws -> Value) rethrows -> Value {
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard length > 0, let value = PQgetvalue(handle, Int32(row), Int32(column)) else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: value, count: length))
    }

    /// The column's text, nil for NULL.
    package func optionalText(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : text(row, column)
    }

    /// An integer column (0 for NULL), parsed from its text without building a `String`.
    package func int64(_ row: Int, _ column: Int) -> Int64 {
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return 0 }
        var pointer = value
        var negative = false
        if pointer.pointee == 0x2D {
            negative = true
            pointer += 1
        }
        var number: Int64 = 0
        while pointer.pointee >= 0x30 && pointer.pointee <= 0x39 {
            number = number &* 10 &+ Int64(pointer.pointee - 0x30)
            pointer += 1
        }
        // Wrapping: Int64.min's digits overflow to Int64.min itself, which negates (wrapping) to itself.
        return negative ? 0 &- number : number
    }

    /// A `double precision` column (0 for NULL).
    package func double(_ row: Int, _ column: Int) -> Double {
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return 0 }
        return strtod(value, nil)
    }

    /// A boolean column (`t`), false for NULL.
    package func bool(_ row: Int, _ column: Int) -> Bool {
        guard let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return false }
        return value.pointee == 0x74
    }
}
