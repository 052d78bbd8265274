internal import CLibPQ
import EventStore
#if canImport(Glibc)
import Glibc
#endif

/// `LISTEN`/`NOTIFY` on one connection: wait on its socket, then read what arrived.
extension PostgresConnection {
    /// Waits at most `timeout` for the server to send something (a notification, or the connection's end), then
    /// reads it and returns the payloads of the notifications on `channel` that arrived. Throws when the
    /// connection broke.
    package func notifications(on channel: String, waitingAtMost timeout: Duration) throws(PostgresError) -> [String] {
        let socket = PQsocket(connectionHandle)
        guard socket >= 0 else {
            throw PostgresError(kind: .connection, sqlState: nil, message: "the connection has no socket", statement: nil)
        }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR {
            throw PostgresError(kind: .connection, sqlState: nil, message: "poll: \(String(cString: strerror(errno)))", statement: nil)
        }
        guard PQconsumeInput(connectionHandle) == 1, PQstatus(connectionHandle) == CONNECTION_OK else {
            throw PostgresError(kind: .connection, sqlState: nil, message: Self.message(PQerrorMessage(connectionHandle)), statement: nil)
        }
        var payloads: [String] = []
        while let notification = PQnotifies(connectionHandle) {
            if String(cString: notification.pointee.relname) == channel {
                payloads.append(String(cString: notification.pointee.extra))
            }
            PQfreemem(notification)
        }
        return payloads
    }
}
