internal import CLibPQ
import EventStore

/// `COPY … FROM STDIN` for bulk loads: all at once (`copy(_:rows:)`), or streamed (`beginCopy`, `sendCopyData`
/// as rows are encoded, `endCopy`), so the server stores the first rows while the caller encodes the next.
extension PostgresConnection {
    /// Bytes handed to libpq per `PQputCopyData` call.
    private static let copyChunk = 1 << 20

    /// Runs `sql` (a `COPY … FROM STDIN` statement without values) and sends `rows` (text format) to it;
    /// returns the rows the server stored. On failure the server's error is thrown and the enclosing
    /// transaction is left failed (roll it back).
    @discardableResult
    package func copy(_ sql: String, rows: CopyRows) throws(PostgresError) -> Int {
        try beginCopy(sql)
        var rows = rows
        try sendCopyData(&rows, for: sql)
        return try endCopy(sql)
    }

    /// Starts `sql` (a `COPY … FROM STDIN` statement without values). Until `endCopy` or `abortCopy` the
    /// connection takes nothing but `sendCopyData`.
    package func beginCopy(_ sql: String) throws(PostgresError) {
        try check(PQexec(connectionHandle, sql), statement: sql)
    }

    /// Sends the rows encoded so far and empties `rows` (keeping its storage).
    package func sendCopyData(_ rows: inout CopyRows, for sql: String) throws(PostgresError) {
        var offset = 0
        var sent = true
        rows.bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                while offset < characters.count {
                    let count = min(Self.copyChunk, characters.count - offset)
                    guard PQputCopyData(connectionHandle, characters.baseAddress! + offset, Int32(count)) == 1 else {
                        sent = false
                        return
                    }
                    offset += count
                }
            }
        }
        rows.removeAll()
        if !sent {
            let message = Self.message(PQerrorMessage(connectionHandle))
            abortCopy("recsmith could not send the rows")
            throw PostgresError(kind: .copy, sqlState: nil, message: message, statement: sql)
        }
    }

    /// Ends the COPY and returns the rows the server stored, or throws its error.
    @discardableResult
    package func endCopy(_ sql: String) throws(PostgresError) -> Int {
        guard PQputCopyEnd(connectionHandle, nil) == 1 else {
            let message = Self.message(PQerrorMessage(connectionHandle))
            drainResults()
            throw PostgresError(kind: .copy, sqlState: nil, message: message, statement: sql)
        }
        // The COPY's own result, then nil; both must be read before the connection takes the next command.
        var outcome: Result<Int, PostgresError> = .success(0)
        while let result = PQgetResult(connectionHandle) {
            do throws(PostgresError) {
                let checked = try check(result, statement: sql)
                if case .success = outcome { outcome = .success(checked.affectedRows) }
            } catch {
                outcome = .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Makes the server fail the COPY (storing none of its rows; the transaction is left failed) and reads
    /// its answer, so the connection can take the `ROLLBACK`.
    package func abortCopy(_ reason: String) {
        _ = PQputCopyEnd(connectionHandle, reason)
        drainResults()
    }

    /// Reads and drops the results still pending on the connection.
    private func drainResults() {
        while let result = PQgetResult(connectionHandle) { PQclear(result) }
    }
}
