internal import CLibPQ
import EventStore

/// `COPY … FROM STDIN` for bulk loads.
extension PostgresConnection {
    /// Bytes handed to libpq per `PQputCopyData` call.
    private static let copyChunk = 1 << 20

    /// Runs `sql` (a `COPY … FROM STDIN` statement without values) and streams `rows` (text format) to it;
    /// returns the rows the server stored. On failure the server's error is thrown and the enclosing
    /// transaction is left failed (roll it back).
    @discardableResult
    package func copy(_ sql: String, rows: CopyRows) throws(PostgresError) -> Int {
        let start = try check(PQexec(connectionHandle, sql), statement: sql)
        _ = start
        let bytes = rows.bytes
        var offset = 0
        var sent = true
        bytes.withUnsafeBufferPointer { buffer in
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
        if !sent {
            let message = Self.message(PQerrorMessage(connectionHandle))
            _ = PQputCopyEnd(connectionHandle, "recsmith could not send the rows")
            drainResults()
            throw PostgresError(kind: .copy, sqlState: nil, message: message, statement: sql)
        }
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

    /// Reads and drops the results still pending on the connection.
    private func drainResults() {
        while let result = PQgetResult(connectionHandle) { PQclear(result) }
    }
}
