import Foundation
import Glibc
import SyntheticData
import Testing
import TestSupport

/// `recsmith serve --store postgresql://…`: two servers on one database stand for two replicas.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresServeTests {
    private static let adminHeaders = [("Authorization", "Bearer \(ServerProcess.adminToken)")]

    private static func retrain(_ client: TestClient) -> String? {
        finishedRetrain(client)["status"] as? String
    }

    @Test func servesRecommendationsFromPostgresAndBothReplicasExcludeAFreshEvent() throws {
        let database = try PostgresTestDatabase()
        let a = try ServerProcess(arguments: ["--store", database.url])
        let b = try ServerProcess(arguments: ["--store", database.url])
        defer { a.removeData(); b.removeData() }
        let (clientA, clientB) = (try a.client(), try b.client())
        let events = SyntheticEvents(userCount: 80, itemCount: 200, eventCount: 3000, seed: 5).events()
        var body = ""
        for (index, event) in events.enumerated() {
            body += #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp)),"id":"e\#(index)"}"# + "\n"
        }
        let posted = clientA.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))
        #expect(json(posted)["accepted"] as? Int == 3000)
        let again = clientB.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))
        #expect(json(again)["accepted"] as? Int == 0 && json(again)["duplicates"] as? Int == 3000, "ids are shared by the replicas")
        #expect(try database.execute("SELECT count(*) FROM events") == [["3000"]])
        // A trains (both have role all; A was elected first or B is: the standby's pass is skipped) and B loads its set.
        #expect([Self.retrain(clientA), Self.retrain(clientB)].contains("succeeded"))
        let models = { (client: TestClient) in (json(client.request("GET", "/models"))["models"] as? [[String: Any]])?.first?["version"] as? String }
        let loaded = ContinuousClock.now
        while ContinuousClock.now - loaded < .seconds(5), models(clientA) == nil || models(clientA) != models(clientB) { usleep(50_000) }
        #expect(models(clientA) != nil && models(clientA) == models(clientB), "both serve the elected trainer's set")

        let seen = Set(events.filter { $0.user == 1 }.map { "i\($0.item)" })
        let answer = clientA.request("GET", "/users/u1/recommendations?k=5")
        #expect(answer?.status == 200 && itemIDs(answer).count == 5 && seen.isDisjoint(with: itemIDs(answer)))
        let top = try #require(itemIDs(clientB.request("GET", "/users/u1/recommendations?k=5&model=popular")).first)
        let fresh = #"{"user":"u1","item":"\#(top)","type":"purchase"}"#
        #expect(clientA.request("POST", "/events", headers: [("Content-Type", "application/json")], body: Array(fresh.utf8))?.status == 200)
        #expect(!itemIDs(clientA.request("GET", "/users/u1/recommendations?k=5&model=popular")).contains(top), "at once on A")
        let start = ContinuousClock.now
        var excluded = false
        while ContinuousClock.now - start < .seconds(1) {
            if !itemIDs(clientB.request("GET", "/users/u1/recommendations?k=5&model=popular")).contains(top) {
                excluded = true
                break
            }
            usleep(20_000)
        }
        #expect(excluded, "replica B excludes the item A accepted within a second")
    }
}
