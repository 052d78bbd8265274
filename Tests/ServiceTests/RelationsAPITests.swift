import Configuration
import EventStore
import Foundation
import Models
import Serving
import Testing
import TestSupport
import Training
@testable import Service

/// `POST /relations`, `GET /items/{id}/relations`, purges, and `pairmf` over HTTP on an in-process server.
@Suite(.serialized)
struct RelationsAPITests {
    private static let json = [("Content-Type", "application/json")]

    private static func object(_ response: TestResponse?) throws -> [String: Any] {
        let body = try #require(response).body
        return try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    }

    /// A started service with `models`, batches of at most 4; stop it and clean up after.
    private static func service(models: [ModelKind] = [.popular, .pairmf]) throws -> (TemporaryData, RecsmithService, TestClient) {
        let data = try TemporaryData()
        var configuration = data.configuration(models: models)
        configuration.validation.maxBatchSize = 4
        configuration.modelParameters.pairMF.threads = 1
        configuration.modelParameters.pairMF.epochs = 200
        let service = try RecsmithService(configuration: configuration, logger: quietLogger)
        let client = try TestClient(port: try service.start(), timeoutSeconds: 30)
        return (data, service, client)
    }

    @Test func aBadBatchIsRefusedWholeWithEveryProblemNamedByIndexAndField() throws {
        let (data, service, client) = try Self.service()
        defer { service.shutdown(); data.cleanUp() }
        let body = #"[{"from":"a","to":"b","type":"also_bought"},{"from":"a","to":"a","type":"also_bought"},{"from":"","to":"b","type":"also_bought"},{"from":"a","to":"b","type":"sold_with"}]"#
        let response = client.request("POST", "/relations", headers: Self.json, body: Array(body.utf8))
        #expect(response?.status == 400)
        let error = try #require(try Self.object(response)["error"] as? [String: Any])
        #expect(error["code"] as? String == "invalid_relations")
        let details = try #require(error["details"] as? [[String: Any]])
        let places = details.map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "")" }
        #expect(places == ["1:to", "2:from", "3:type"])
        #expect(service.store.relationCount == 0 && service.store.itemIndex("a") == nil, "nothing of the batch is stored")
    }

    @Test func anOversizeBatchIs413AndRepeatsAreIdempotent() throws {
        let (data, service, client) = try Self.service()
        defer { service.shutdown(); data.cleanUp() }
        let five = (0..<5).map { #"{"from":"a","to":"b\#($0)","type":"also_viewed"}"# }.joined(separator: "\n")
        let tooMany = client.request("POST", "/relations", headers: [("Content-Type", "application/x-ndjson")], body: Array(five.utf8))
        #expect(tooMany?.status == 413)
        let one = Array(#"{"from":"a","to":"b","type":"also_bought","weight":2}"#.utf8)
        let first = try Self.object(client.request("POST", "/relations", headers: Self.json, body: one))
        #expect(first["accepted"] as? Int == 1 && first["unchanged"] as? Int == 0)
        let again = try Self.object(client.request("POST", "/relations", headers: Self.json, body: one))
        #expect(again["accepted"] as? Int == 0 && again["unchanged"] as? Int == 1)
        #expect(service.store.relationCount == 1)
        let listed = try Self.object(client.request("GET", "/items/a/relations"))
        let relations = try #require(listed["relations"] as? [[String: Any]])
        #expect(relations.count == 1 && relations[0]["to"] as? String == "b" && relations[0]["weight"] as? Double == 2)
        let incoming = try Self.object(client.request("GET", "/items/b/relations?direction=in"))
        #expect((incoming["relations"] as? [[String: Any]])?.count == 1)
        #expect(client.request("GET", "/items/nobody/relations")?.status == 404)
    }

    @Test func relationsArePagedAndAPurgeDeletesThem() throws {
        let (data, service, client) = try Self.service()
        defer { service.shutdown(); data.cleanUp() }
        let batch = (0..<4).map { #"{"from":"hub","to":"s\#($0)","type":"also_bought"}"# }.joined(separator: ",")
        #expect(client.request("POST", "/relations", headers: Self.json, body: Array("[\(batch)]".utf8))?.status == 200)
        let first = try Self.object(client.request("GET", "/items/hub/relations?limit=3"))
        #expect((first["relations"] as? [[String: Any]])?.count == 3)
        let cursor = try #require(first["cursor"] as? String)
        let second = try Self.object(client.request("GET", "/items/hub/relations?limit=3&cursor=\(cursor)"))
        #expect((second["relations"] as? [[String: Any]])?.map { $0["to"] as? String } == ["s3"] && second["cursor"] is NSNull)
        #expect(client.request("DELETE", "/items/s0")?.status == 200)
        #expect(service.store.relationCount == 4, "a plain delete keeps the relations (they are hidden from answers)")
        #expect((try Self.object(client.request("GET", "/items/hub/relations"))["relations"] as? [[String: Any]])?.count == 3)
        #expect(client.request("DELETE", "/items/hub?purge=true")?.status == 200)
        #expect(service.store.relationCount == 0)
    }

    @Test func pairMFTrainsOnPostedRelationsAndAnswersSimilarItems() throws {
        let (data, service, client) = try Self.service()
        defer { service.shutdown(); data.cleanUp() }
        _ = try service.store.append([Event(user: "u", item: "a0", weight: 1, timestamp: 1_700_000_000)])
        #expect(service.trainer.trainNow().status == .succeeded)
        #expect(service.registry.snapshot?.model(.pairmf) == nil, "without relations pairmf is skipped, the pass goes on")
        // Two groups of items, related only within their group.
        var lines: [String] = []
        for group in ["a", "b"] {
            for i in 0..<4 { for j in 0..<4 where i != j { lines.append(#"{"from":"\#(group)\#(i)","to":"\#(group)\#(j)","type":"bought_together"}"#) } }
        }
        for start in stride(from: 0, to: lines.count, by: 4) {
            let body = lines[start..<min(start + 4, lines.count)].joined(separator: "\n")
            #expect(client.request("POST", "/relations", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))?.status == 200)
        }
        #expect(service.trainer.trainNow().status == .succeeded)
        let similar = try Self.object(client.request("GET", "/items/a0/similar?model=pairmf&k=3"))
        #expect(similar["model"] as? String == "pairmf")
        let items = (similar["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(Set(items) == ["a1", "a2", "a3"], "\(items)")
        let recommended = try Self.object(client.request("GET", "/users/u/recommendations?model=pairmf&k=3"))
        #expect((recommended["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }.allSatisfy { $0.hasPrefix("a") })
    }
}
