internal import CLibPQ
#if canImport(Glibc)
import Glibc
#endif
import EventStore

/// One libpq connection (`PGconn`). Not thread-safe: used by one thread at a time — the store's writer
/// connection only on its writer queue, a pooled one only by the borrower between `PostgresPool.acquire` and
/// `release`.
///
/// Statements with values are prepared (`PQprepare`, once per connection, on first use) and run by name
/// (`PQexecPrepared`) with their values as parameters; only fixed text without values (`BEGIN`, `COMMIT`,
/// schema DDL) goes through `PQexec`.
package final class PostgresConnection {
    private let handle: OpaquePointer
    /// Names of the statements prepared on this connection.
    private var prepared: Set<String> = []
    private var isClosed = false

    /// Connects to `target`, waiting at most `connectTimeout` (whole seconds, at least 2 as libpq requires),
    /// and sets the session's `statement_timeout` (nil: none) and, for a long-lived session, TCP `keepalives`.
    package init(
        target: PostgresTarget, connectTimeout: Duration, statementTimeout: Duration?, keepalives: PostgresKeepalives? = nil
    ) throws(PostgresError) {
        let parameters = Self.parameters(
            target: target, connectTimeout: connectTimeout, statementTimeout: statementTimeout, keepalives: keepalives)
        let connection = Self.connect(keywords: parameters.map(\.keyword), values: parameters.map(\.value))
        guard let connection else {
            throw PostgresError(kind: .connection, sqlState: nil, message: "libpq could not allocate a connection to \(target.redacted)",
                                statement: nil)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.message(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connection, sqlState: nil, message: "\(target.redacted): \(message)", statement: nil)
        }
        cpq_silence_notices(connection)
        handle = connection
    }

    /// The keywords and values handed to `PQconnectdbParams` (with `expand_dbname`, so `dbname` is the URL).
    /// libpq lets a later keyword override an earlier one, the URL's settings included: the keepalives come
    /// before the URL, so the URL's own win; the timeouts come after it.
    static func parameters(
        target: PostgresTarget, connectTimeout: Duration, statementTimeout: Duration?, keepalives: PostgresKeepalives?
    ) -> [(keyword: String, value: String)] {
        var options: [String] = []
        if let statementTimeout { options.append("-c statement_timeout=\(PostgresKeepalives.milliseconds(statementTimeout))") }
        options += keepalives?.serverOptions ?? []
        return (keepalives?.clientParameters ?? []) + [
            ("dbname", target.url), ("connect_timeout", String(max(2, connectTimeout.components.seconds))),
            ("options", options.joined(separator: " ")), ("fallback_application_name", "recsmith"),
        ]
    }

    private static func connect(keywords: [String], values: [String]) -> OpaquePointer? {
        let keywordPointers = keywords.map { strdup($0) } + [nil]
        let valuePointers = values.map { strdup($0) } + [nil]
        defer {
            for pointer in keywordPointers { free(pointer) }
            for pointer in valuePointers { free(pointer) }
        }
        return keywordPointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordBuffer in
            valuePointers.map { UnsafePointer($0) }.withUnsafeBufferPointer { valueBuffer in
                PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 1)
            }
        }
    }

    deinit {
        close()
    }

    /// Closes the connection (once).
    package func close() {
        guard !isClosed else { return }
        isClosed = true
        PQfinish(handle)
    }

    /// False once the connection broke (the server went away) or was closed; a pool drops such connections.
    package var isUsable: Bool { !isClosed && PQstatus(handle) == CONNECTION_OK }

    /// True inside a transaction block (or a failed one that still needs its `ROLLBACK`).
    package var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    // MARK: Statements

    /// Runs a prepared statement (preparing it on first use) with `parameters` bound to `$1`, `$2`, ….
    /// With `binaryResult` the columns come back in PostgreSQL's binary format (read them with
    /// `PostgresResult.bytes`; the text accessors then do not apply).
    @discardableResult
    package func run(
        _ statement: PostgresStatement, _ parameters: [PostgresValue] = [], binaryResult: Bool = false
    ) throws(PostgresError) -> PostgresResult {
        guard !isClosed else { throw PostgresError(kind: .connection, sqlState: nil, message: "connection closed", statement: statement.name) }
        if !prepared.contains(statement.name) {
            let result = PQprepare(handle, statement.name, statement.sql, 0, nil)
            try check(result, statement: statement.name)
            prepared.insert(statement.name)
        }
        var lengths = [Int32](repeating: 0, count: parameters.count)
        var formats = [Int32](repeating: 0, count: parameters.count)
        var owned: [UnsafeMutablePointer<CChar>?] = parameters.enumerated().map { offset, value in
            switch value {
            case .null: return nil
            case .text(let text): return strdup(text)
            case .bytes(let bytes):
                lengths[offset] = Int32(bytes.count)
                formats[offset] = 1
                let copy = malloc(max(1, bytes.count))!.assumingMemoryBound(to: CChar.self)
                bytes.withUnsafeBytes { UnsafeMutableRawPointer(copy).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                return copy
            }
        }
        defer { for pointer in owned { free(pointer) } }
        let result = owned.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                PQexecPrepared(handle, statement.name, Int32(parameters.count), values.baseAddress, lengths, formats,
                               binaryResult ? 1 : 0)
            }
        }
        return try check(result, statement: statement.name)
    }

    /// Runs fixed SQL without values (`BEGIN`, `COMMIT`, schema DDL; several statements are allowed).
    @discardableResult
    package func execute(_ sql: String) throws(PostgresError) -> PostgresResult {
        guard !isClosed else { throw PostgresError(kind: .connection, sqlState: nil, message: "connection closed", statement: sql) }
        return try check(PQexec(handle, sql), statement: sql)
    }

    /// Turns a result into a `PostgresResult`, or throws what the server or libpq reported.
    @discardableResult
    func check(_ result: OpaquePointer?, statement: String) throws(PostgresError) -> PostgresResult {
        guard let result else {
            throw PostgresError(kind: .statement, sqlState: nil, message: Self.message(PQerrorMessage(handle)), statement: statement)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_EMPTY_QUERY:
            return PostgresResult(handle: result)
        default:
            let sqlState = cpq_sqlstate(result).map { String(cString: $0) }
            let message = cpq_primary_message(result).map { String(cString: $0) } ?? Self.message(PQresultErrorMessage(result))
            PQclear(result)
            // A statement that failed because the server went away reports the connection's state as well.
            let kind: PostgresError.Kind = PQstatus(handle) == CONNECTION_OK ? .statement : .connection
            throw PostgresError(kind: kind, sqlState: sqlState, message: message, statement: statement)
        }
    }

    /// libpq's message text, trimmed.
    static func message(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown libpq error" }
        var message = String(cString: text)
        while let last = message.last, last.isWhitespace { message.removeLast() }
        return message.isEmpty ? "unknown libpq error" : message
    }

    /// The raw handle, for the `COPY` extension.
    var connectionHandle: OpaquePointer { handle }
}
