/// What PostgreSQL or libpq reported for a failed call: the SQLSTATE, the server's or libpq's message and the
/// prepared statement's name.
///
/// Lives beside `SQLiteFailure` so that `EventStoreError` can carry it; the connection code is in the
/// `PostgresStore` target. Never holds bound values, a password or the connection URL's secrets: connection
/// failures name the target through `PostgresTarget.redacted`.
package struct PostgresError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which step failed.
    package enum Kind: String, Sendable, Hashable {
        /// Connecting (or reconnecting) to the server.
        case connection
        /// A statement (prepared or a fixed one such as `BEGIN`) was refused or failed.
        case statement
        /// A `COPY … FROM STDIN` could not send its rows.
        case copy
        /// No pooled connection became free within the acquire timeout.
        case poolTimeout
    }

    /// Which step failed.
    package var kind: Kind
    /// The five-character SQLSTATE (`23505` unique violation, `57014` statement timeout, …); nil when libpq
    /// failed before the server answered.
    package var sqlState: String?
    /// The server's or libpq's message.
    package var message: String
    /// The prepared statement's name (or the fixed SQL text that failed); nil for connection failures.
    package var statement: String?

    /// Creates an error record.
    package init(kind: Kind, sqlState: String?, message: String, statement: String?) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.statement = statement
    }

    /// True when retrying later may succeed without anyone changing the setup: the connection was lost or
    /// refused (SQLSTATE class 08, admin shutdown 57P01–57P03), a serialization failure or deadlock (class 40),
    /// insufficient resources (class 53), a lock or statement timeout (55P03, 57014), or the pool was busy.
    package var isTransient: Bool {
        switch kind {
        case .connection, .poolTimeout: return true
        case .statement, .copy: break
        }
        guard let sqlState else { return true }  // libpq lost the connection before an answer
        if ["08", "40", "53"].contains(String(sqlState.prefix(2))) { return true }
        return ["57P01", "57P02", "57P03", "55P03", "57014"].contains(sqlState)
    }

    /// `PostgreSQL error 23505 (duplicate key value …) in: insert_events`.
    package var description: String {
        var text = "PostgreSQL \(kind.rawValue) error"
        if let sqlState { text += " \(sqlState)" }
        text += " (\(message))"
        if let statement { text += " in: \(statement)" }
        return text
    }
}
