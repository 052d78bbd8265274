/// TCP keepalives for the long-lived session connections (the trainer election's, the snapshot listener's), so
/// that a dead host or a cut network — not only a killed process, whose kernel closes its sockets — ends the
/// session within seconds instead of Linux's two-hour keepalive default.
///
/// Both ends are set. This process's end through libpq's `keepalives`, `keepalives_idle`, `keepalives_interval`,
/// `keepalives_count` and `tcp_user_timeout`: the leader's 2 s ping fails, and it steps down, within
/// `ping interval + clientUserTimeout` ≈ 5 s of losing the server. The server's end through the session
/// settings `tcp_keepalives_idle`, `tcp_keepalives_interval` and `tcp_keepalives_count` (sent as `options`):
/// the server ends a vanished leader's session — releasing its advisory lock — `serverIdle + serverInterval ×
/// serverCount` = 7 s after its last traffic, at most 7 s after the loss, later than the leader steps down; the
/// standby's next 2 s attempt then wins, within CONTRACT.md's 10 s.
///
/// The URL's own client settings win: libpq reads these keywords before the URL (`PostgresConnection.parameters`).
/// The server-side ones travel in `options`, which the connection sets after the URL, as it does the statement
/// timeout: a URL's `options` parameter is replaced (`SET` in the database's or role's defaults is not).
package struct PostgresKeepalives: Sendable, Equatable {
    /// Idle time before this end's first probe.
    package var clientIdle: Duration
    /// Time between this end's probes.
    package var clientInterval: Duration
    /// Unanswered probes before this end gives up.
    package var clientCount: Int
    /// How long sent data may stay unacknowledged before this end gives up (the leader's ping).
    package var clientUserTimeout: Duration
    /// Idle time before the server's first probe.
    package var serverIdle: Duration
    /// Time between the server's probes.
    package var serverInterval: Duration
    /// Unanswered probes before the server ends the session.
    package var serverCount: Int

    /// The settings every session connection uses (figures above).
    package static let session = PostgresKeepalives(
        clientIdle: .seconds(2), clientInterval: .seconds(1), clientCount: 2, clientUserTimeout: .seconds(3),
        serverIdle: .seconds(4), serverInterval: .seconds(1), serverCount: 3)

    /// libpq connection keywords and values for this end.
    var clientParameters: [(keyword: String, value: String)] {
        [("keepalives", "1"), ("keepalives_idle", Self.wholeSeconds(clientIdle)), ("keepalives_interval", Self.wholeSeconds(clientInterval)),
         ("keepalives_count", String(clientCount)), ("tcp_user_timeout", Self.milliseconds(clientUserTimeout))]
    }

    /// Server settings for the session, as `-c name=value` words of libpq's `options`.
    var serverOptions: [String] {
        ["-c tcp_keepalives_idle=\(Self.wholeSeconds(serverIdle))", "-c tcp_keepalives_interval=\(Self.wholeSeconds(serverInterval))",
         "-c tcp_keepalives_count=\(serverCount)"]
    }

    /// Whole seconds, at least 1 (what the socket options take).
    private static func wholeSeconds(_ duration: Duration) -> String { String(max(1, duration.components.seconds)) }

    static func milliseconds(_ duration: Duration) -> String {
        String(max(1, duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000))
    }
}
