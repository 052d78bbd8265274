import Foundation
import Glibc
import Testing
import TestSupport

/// Two API replicas on one PostgreSQL database: what one replica stores besides events — records, deletions,
/// purges, relations, erasures — is in the other's answers within a second (CONTRACT.md "Scale-out").
@Suite(.serialized, .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct ChangeFeedServeTests {
    private static let admin = [("Authorization", "Bearer \(ServerProcess.adminToken)")]
    private static let jsonType = [("Content-Type", "application/json")]

    /// Polls `condition` until it holds or a second passes; true when it held.
    private static func withinASecond(_ condition: () -> Bool) -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(1) {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    private static func send(_ client: TestClient, _ method: String, _ path: String, _ body: String, headers: [(String, String)] = []) -> TestResponse? {
        client.request(method, path, headers: jsonType + headers, body: Array(body.utf8))
    }

    /// Users u0…u9 each view items i(u)…i(u+9) of i0…i18 once; two replicas with role api.
    private static func twoReplicas(_ database: PostgresTestDatabase) throws -> (ServerProcess, ServerProcess) {
        let a = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        let b = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        var body = ""
        for user in 0..<10 { for item in user..<user + 10 { body += #"{"user":"u\#(user)","item":"i\#(item)"}"# + "\n" } }
        let posted = try a.client().request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))
        #expect(json(posted)["accepted"] as? Int == 100)
        return (a, b)
    }

    private static func events(_ client: TestClient, _ path: String) -> Int? {
        json(client.request("GET", path))["events"] as? Int
    }

    @Test func recordsDeletionsPurgesAndRelationsFromOneReplicaReachTheOtherWithinASecond() throws {
        let database = try PostgresTestDatabase()
        let (a, b) = try Self.twoReplicas(database)
        defer { a.removeData(); b.removeData() }
        let (clientA, clientB) = (try a.client(), try b.client())
        #expect(Self.withinASecond { Self.events(clientB, "/items/i18") == 1 })
        let popular = { itemIDs(clientB.request("GET", "/users/nobody/recommendations?k=20&model=popular")) }
        #expect(popular().contains("i2"))

        // A record put, then an item hidden by a patch.
        #expect(Self.send(clientA, "PUT", "/items/i1", #"{"categories":["shoes"],"labels":{"brand":"acme"}}"#)?.status == 200)
        #expect(Self.send(clientA, "PATCH", "/items/i2", #"{"hidden":true}"#)?.status == 200)
        #expect(Self.withinASecond {
            json(clientB.request("GET", "/items/i1"))["categories"] as? [String] == ["shoes"] && !popular().contains("i2")
        }, "B shows the record and leaves the hidden item out")
        let shoes = itemIDs(clientB.request("GET", "/users/nobody/recommendations?k=5&category=shoes&model=popular"))
        #expect(shoes == ["i1"], "B filters by the record A stored")

        // A deletion, a purge, a user record and a relation.
        #expect(clientA.request("DELETE", "/items/i3")?.status == 200)
        #expect(clientA.request("DELETE", "/items/i4?purge=true")?.status == 200)
        #expect(Self.send(clientA, "PUT", "/users/u0", #"{"labels":{"tier":"gold"}}"#)?.status == 200)
        #expect(Self.send(clientA, "POST", "/relations", #"{"from":"i5","to":"i6","type":"also_bought"}"#)?.status == 200)
        #expect(Self.withinASecond {
            clientB.request("GET", "/items/i3")?.status == 404 && clientB.request("GET", "/items/i4")?.status == 404
                && (json(clientB.request("GET", "/users/u0"))["labels"] as? [String: Any])?["tier"] as? String == "gold"
                && (json(clientB.request("GET", "/items/i5/relations"))["relations"] as? [[String: Any]])?.first?["to"] as? String == "i6"
        }, "B forgets the deleted items and shows the user record and the relation")
        // i4 was viewed by u0…u4: the purge took one event from each of them, on B as on A.
        for user in 0..<5 {
            #expect(Self.events(clientB, "/users/u\(user)") == Self.events(clientA, "/users/u\(user)"))
            #expect(Self.events(clientB, "/users/u\(user)") == 9)
        }
        #expect(!popular().contains("i3") && !popular().contains("i4"))
    }

    @Test func anErasureOnOneReplicaLeavesTheOthersHistoriesSeenSetsAndCachedAnswersWithinASecond() throws {
        let database = try PostgresTestDatabase()
        let (a, b) = try Self.twoReplicas(database)
        defer { a.removeData(); b.removeData() }
        let (clientA, clientB) = (try a.client(), try b.client())
        #expect(Self.withinASecond { Self.events(clientB, "/users/u9") == 10 })
        #expect(Self.send(clientA, "PUT", "/users/u1", #"{"labels":{"tier":"gold"}}"#)?.status == 200)
        // B answers u1 with what u1 has not seen (cached now); an unknown user gets the popular items as they are.
        let before = itemIDs(clientB.request("GET", "/users/u1/recommendations?k=20&model=popular"))
        #expect(!before.isEmpty && before.allSatisfy { !(1..<11).map { "i\($0)" }.contains($0) })
        let stranger = itemIDs(clientB.request("GET", "/users/nobody/recommendations?k=20&model=popular"))

        let erased = clientA.request("DELETE", "/users/u1", headers: Self.admin)
        #expect(json(erased)["events_deleted"] as? Int == 10)
        #expect(Self.withinASecond {
            clientB.request("GET", "/users/u1")?.status == 404
                && Set(itemIDs(clientB.request("GET", "/users/u1/recommendations?k=20&model=popular"))) == Set(stranger)
        }, "B forgets u1's record, history and seen items, and its cached answer")
        // u1's events left B's counts: i1 was viewed by u0 and u1 only.
        #expect(Self.events(clientB, "/items/i1") == 1 && Self.events(clientB, "/items/i10") == Self.events(clientA, "/items/i10"))

        // The id comes back as a new user, on both replicas.
        #expect(Self.send(clientA, "POST", "/events", #"{"user":"u1","item":"i0"}"#)?.status == 200)
        #expect(Self.withinASecond { Self.events(clientB, "/users/u1") == 1 })
    }
}
