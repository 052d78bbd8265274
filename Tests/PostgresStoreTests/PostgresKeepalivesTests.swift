@testable import PostgresStore
import TestSupport
import Testing

/// The connection parameters of a session connection: keepalives on both ends, the URL's own settings winning.
struct PostgresKeepalivesTests {
    private let target = PostgresTarget(url: "postgresql://app@db:5432/recsmith?keepalives_idle=30")!

    @Test func aSessionConnectionAsksForKeepalivesBeforeTheURLSoTheURLsOwnWin() {
        let parameters = PostgresConnection.parameters(
            target: target, connectTimeout: .seconds(5), statementTimeout: .seconds(10), keepalives: .session)
        let keywords = parameters.map(\.keyword)
        #expect(keywords == ["keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                             "dbname", "connect_timeout", "options", "fallback_application_name"])
        let values = Dictionary(parameters.map { ($0.keyword, $0.value) }, uniquingKeysWith: { $1 })
        #expect(values["keepalives"] == "1" && values["keepalives_idle"] == "2" && values["keepalives_interval"] == "1")
        #expect(values["keepalives_count"] == "2" && values["tcp_user_timeout"] == "3000")
        #expect(keywords.firstIndex(of: "keepalives_idle")! < keywords.firstIndex(of: "dbname")!, "libpq lets the later URL override")
        #expect(values["options"] == "-c statement_timeout=10000 -c tcp_keepalives_idle=4 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3")
    }

    @Test func theServerEndsAVanishedLeadersSessionAfterTheLeaderStepsDownAndWithinTheContractsTenSeconds() {
        let keepalives = PostgresKeepalives.session
        let pingInterval = 2.0, standbyRetry = 2.0
        let leaderStepsDown = pingInterval + keepalives.clientUserTimeout.seconds
        let serverEarliest = keepalives.serverIdle.seconds + keepalives.serverInterval.seconds * Double(keepalives.serverCount) - pingInterval
        let serverLatest = keepalives.serverIdle.seconds + keepalives.serverInterval.seconds * Double(keepalives.serverCount)
        #expect(leaderStepsDown <= serverEarliest, "no two leaders: the old one steps down before its lock is released")
        #expect(serverLatest + standbyRetry <= 10, "the standby takes over within 10 s")
    }

    @Test func aPooledConnectionSetsNoKeepalives() {
        let parameters = PostgresConnection.parameters(target: target, connectTimeout: .seconds(1), statementTimeout: nil, keepalives: nil)
        #expect(parameters.map(\.keyword) == ["dbname", "connect_timeout", "options", "fallback_application_name"])
        #expect(parameters[1].value == "2" && parameters[2].value == "", "libpq's minimum; an empty value is ignored")
    }

    @Test func aSessionConnectionWithKeepalivesConnects() throws {
        guard let url = PostgresTestDatabase.clusterURL else { return }
        let connection = try PostgresConnection(
            target: PostgresTarget(url: url)!, connectTimeout: .seconds(5), statementTimeout: nil, keepalives: .session)
        defer { connection.close() }
        #expect(try connection.execute("SHOW tcp_keepalives_idle").text(0, 0) == "4")
    }
}
