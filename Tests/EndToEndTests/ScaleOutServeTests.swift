import Foundation
import Glibc
import SyntheticData
import Testing
import TestSupport

/// `--role` on PostgreSQL: API replicas and trainers as separate processes on one database — one elected trainer,
/// its model sets reaching every replica through the database, a standby taking over after a kill -9.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct ScaleOutServeTests {
    private static let admin = [("Authorization", "Bearer \(ServerProcess.adminToken)")]

    /// Polls `condition` until it holds or `deadline` passes; true when it held.
    private static func wait(upTo deadline: Duration, _ condition: () -> Bool) -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    /// The version of the model set a replica serves, if any.
    private static func servedVersion(_ client: TestClient) -> String? {
        let models = json(client.request("GET", "/models"))["models"] as? [[String: Any]]
        return models?.first?["version"] as? String
    }

    private static func isLeader(_ client: TestClient) -> Bool {
        json(client.request("GET", "/readyz"))["leader"] as? Bool == true
    }

    private static func postEvents(_ client: TestClient, count: Int, seed: UInt64) -> Int? {
        let events = SyntheticEvents(userCount: 60, itemCount: 150, eventCount: count, seed: seed).events()
        var body = ""
        for (index, event) in events.enumerated() {
            body += #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp)),"id":"s\#(seed)-\#(index)"}"# + "\n"
        }
        let response = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))
        return json(response)["accepted"] as? Int
    }

    @Test func oneTrainerTrainsItsSetsReachBothReplicasAndAStandbyTakesOverAfterKill9() throws {
        let database = try PostgresTestDatabase()
        let trainerA = try ServerProcess(arguments: ["--store", database.url, "--role", "trainer"])
        let trainerB = try ServerProcess(arguments: ["--store", database.url, "--role", "trainer"])
        let replicaA = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        let replicaB = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        defer { for server in [trainerA, trainerB, replicaA, replicaB] { server.removeData() } }
        let trainers = [(trainerA, try trainerA.client()), (trainerB, try trainerB.client())]
        let (clientA, clientB) = (try replicaA.client(), try replicaB.client())

        // Exactly one trainer leads; a trainer serves only the probes, the metrics and its passes.
        #expect(Self.wait(upTo: .seconds(10)) { trainers.filter { Self.isLeader($0.1) }.count == 1 })
        #expect(trainers[0].1.request("GET", "/users/u1/recommendations")?.status == 404)
        let retrainOnReplica = clientA.request("POST", "/retrain", headers: Self.admin)
        #expect(retrainOnReplica?.status == 409 && (json(retrainOnReplica)["error"] as? [String: Any])?["code"] as? String == "not_a_trainer")

        // The first events start the leader's first pass; its set reaches both replicas.
        #expect(Self.postEvents(clientA, count: 2000, seed: 1) == 2000)
        #expect(Self.wait(upTo: .seconds(60)) { Self.servedVersion(clientA) != nil && Self.servedVersion(clientB) != nil },
                "both replicas load the first pass's set")
        #expect(Self.servedVersion(clientA) == Self.servedVersion(clientB))
        #expect(json(clientA.request("GET", "/readyz"))["role"] as? String == "api")

        // A retrain on the leader reaches both replicas within 5 s of its end.
        let leader = try #require(trainers.first { Self.isLeader($0.1) })
        let standby = try #require(trainers.first { $0.0 !== leader.0 })
        #expect(Self.postEvents(clientB, count: 500, seed: 2) == 500)
        let before = Self.servedVersion(clientA)
        #expect(leader.0.retrainAndWait(leader.1) == "succeeded")
        #expect(Self.wait(upTo: .seconds(5)) {
            let (a, b) = (Self.servedVersion(clientA), Self.servedVersion(clientB))
            return a != before && a == b
        }, "the new set reaches both replicas within 5 s")
        let answer = clientB.request("GET", "/users/u1/recommendations?k=5")
        #expect(answer?.status == 200 && itemIDs(answer).count == 5)

        // The standby does not train while the leader lives; after a kill -9 it takes over within 10 s.
        #expect(json(standby.1.request("POST", "/retrain", headers: Self.admin))["status"] as? String == "skipped")
        leader.0.kill9()
        #expect(Self.wait(upTo: .seconds(10)) { Self.isLeader(standby.1) }, "the standby is elected within 10 s")
        let last = Self.servedVersion(clientA)
        #expect(standby.0.retrainAndWait(standby.1) == "succeeded")
        #expect(Self.wait(upTo: .seconds(5)) {
            let (a, b) = (Self.servedVersion(clientA), Self.servedVersion(clientB))
            return a != last && a == b
        }, "the new leader's set reaches both replicas")
        #expect(try database.execute("SELECT count(*) FROM snapshots") == [["2"]], "older versions are pruned")
    }

    @Test func aReplicaStartingLaterLoadsTheNewestSetFromTheDatabase() throws {
        let database = try PostgresTestDatabase()
        let all = try ServerProcess(arguments: ["--store", database.url])
        defer { all.removeData() }
        let client = try all.client()
        #expect(Self.postEvents(client, count: 1500, seed: 3) == 1500)
        #expect(Self.wait(upTo: .seconds(60)) { Self.servedVersion(client) != nil })
        let replica = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        defer { replica.removeData() }
        #expect(Self.servedVersion(try replica.client()) == Self.servedVersion(client), "loaded at start, before the first request")
    }
}

/// Roles that split the work need the shared store.
struct RoleServeTests {
    @Test(arguments: ["api", "trainer"])
    func refusesASplitRoleOnSQLite(role: String) throws {
        do {
            let server = try ServerProcess(arguments: ["--role", role])
            server.removeData()
            Issue.record("serve --role \(role) started on an SQLite store")
        } catch ServerProcessError.exitedBeforeListening(let log) {
            #expect(log.contains("role \(role) needs a PostgreSQL store"), "\(log)")
        }
    }
}
