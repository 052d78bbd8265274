import Dispatch
import EventStore
import Locking

/// A bounded set of connections to one database, lent out one borrower at a time.
///
/// At most `maxConnections` exist at once; a borrower waits up to `acquireTimeout` for one to be returned and
/// then fails with `PostgresError.Kind.poolTimeout`. Connections are opened lazily, reused while usable, and
/// dropped when they broke (the next borrower opens a fresh one).
package final class PostgresPool: Sendable {
    // Safe to share: `idle` is a `Lock`; `slots` is a semaphore; the rest is immutable.

    /// Where and how connections are opened.
    package struct Settings: Sendable, Hashable {
        /// The database.
        package var target: PostgresTarget
        /// Most connections open at once.
        package var maxConnections: Int
        /// Longest wait for a free connection.
        package var acquireTimeout: Duration
        /// Longest wait for the server to accept a new connection.
        package var connectTimeout: Duration
        /// Longest a statement may run on a pooled connection (nil: no limit).
        package var statementTimeout: Duration?

        /// Settings with the store's defaults.
        package init(
            target: PostgresTarget, maxConnections: Int = 4, acquireTimeout: Duration = .seconds(5),
            connectTimeout: Duration = .seconds(5), statementTimeout: Duration? = .seconds(30)
        ) {
            precondition(maxConnections > 0, "a pool needs at least one connection")
            self.target = target
            self.maxConnections = maxConnections
            self.acquireTimeout = acquireTimeout
            self.connectTimeout = connectTimeout
            self.statementTimeout = statementTimeout
        }
    }

    /// A connection lent out; `PostgresConnection` itself is not `Sendable`, this box crosses to the borrower.
    private final class Lent: @unchecked Sendable {
        // Safe to share: only one borrower holds a `Lent` at a time (the pool hands it out under `idle`'s lock).
        let connection: PostgresConnection

        init(_ connection: PostgresConnection) {
            self.connection = connection
        }
    }

    /// The settings the pool was made with.
    package let settings: Settings
    private let slots: DispatchSemaphore
    private let idle = Lock<[Lent]>([])

    /// A pool that opens nothing until the first borrower comes.
    package init(settings: Settings) {
        self.settings = settings
        slots = DispatchSemaphore(value: settings.maxConnections)
    }

    /// Lends a connection to `body` and takes it back afterwards (closing it if it broke meanwhile).
    package func withConnection<Value>(_ body: (PostgresConnection) throws(PostgresError) -> Value) throws(PostgresError) -> Value {
        let timeout = settings.acquireTimeout
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        guard slots.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .success else {
            throw PostgresError(
                kind: .poolTimeout, sqlState: nil,
                message: "no connection to \(settings.target.redacted) became free within \(timeout) (pool of \(settings.maxConnections))",
                statement: nil)
        }
        defer { slots.signal() }
        let lent: Lent
        if let reused = idle.withLock({ $0.popLast() }) {
            lent = reused
        } else {
            lent = Lent(try PostgresConnection(
                target: settings.target, connectTimeout: settings.connectTimeout, statementTimeout: settings.statementTimeout))
        }
        defer {
            lent.connection.rollbackIfNeeded()
            if lent.connection.isUsable {
                idle.withLock { $0.append(lent) }
            } else {
                lent.connection.close()
            }
        }
        return try body(lent.connection)
    }

    /// Closes the idle connections; borrowed ones close when returned after this only if they broke, so call
    /// it when no borrower is left.
    package func close() {
        let connections = idle.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        for lent in connections { lent.connection.close() }
    }
}
