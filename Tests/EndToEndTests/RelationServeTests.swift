import Foundation
import TestSupport
import Testing

/// Item relations against the real binary: posted over HTTP, trained into `pairmf` by a pass, answered by
/// `similar?model=pairmf`, even on a store without events; a bad batch stores nothing and the server keeps serving.
@Suite struct RelationServeTests {
    @Test func postedRelationsTrainPairMFWhoseSimilarItemsAreTheItemsOwnGroup() throws {
        let server = try ServerProcess(arguments: ["--models", "pairmf,popular", "--set", "pairmf.factors=8",
                                                   "--set", "pairmf.epochs=40"])
        let client = try server.client()
        // Two groups of ten items, every pair inside a group related; no relation across groups.
        var relations: [String] = []
        for group in 0..<2 {
            let items = (0..<10).map { "g\(group)-\($0)" }
            for first in items { for second in items where first < second {
                relations.append(#"{"from": "\#(first)", "to": "\#(second)", "type": "also_bought"}"#)
            } }
        }
        let posted = client.request("POST", "/relations", headers: [("Content-Type", "application/x-ndjson")],
                                    body: Array(relations.joined(separator: "\n").utf8))
        #expect(posted?.status == 200, "\(String(decoding: posted?.body ?? [], as: UTF8.self))")
        #expect(json(posted)["accepted"] as? Int == relations.count)

        // A few events on both groups' items, so popular trains beside pair MF.
        let events = (0..<20).map { #"{"user": "u\#($0)", "item": "g\#($0 % 2)-\#($0 % 10)"}"# }.joined(separator: "\n")
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(events.utf8))?.status == 200)
        #expect(server.retrainAndWait(client) == "succeeded", "log:\n\(server.log)")

        let similar = json(client.request("GET", "/items/g0-3/similar?k=5&model=pairmf"))
        #expect(similar["model"] as? String == "pairmf")
        let items = (similar["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(items.count == 5)
        #expect(items.allSatisfy { $0.hasPrefix("g0-") }, "similar to g0-3: \(items)")
        #expect(server.terminate() == 0)
    }

    @Test func relationsWithoutAnyEventTrainPairMFAndModelsSaysWhyTheOthersWereSkipped() throws {
        let server = try ServerProcess(arguments: ["--models", "als,pairmf", "--set", "pairmf.factors=8"])
        let client = try server.client()
        let relations = (0..<8).map { #"{"from": "x\#($0)", "to": "x\#(($0 + 1) % 8)", "type": "also_viewed"}"# }
        let posted = client.request("POST", "/relations", headers: [("Content-Type", "application/x-ndjson")],
                                    body: Array(relations.joined(separator: "\n").utf8))
        #expect(posted?.status == 200)
        #expect(server.retrainAndWait(client) == "succeeded", "log:\n\(server.log)")

        let similar = json(client.request("GET", "/items/x3/similar?k=3&model=pairmf"))
        #expect(similar["model"] as? String == "pairmf")
        #expect((similar["items"] as? [Any])?.count == 3, "\(similar)")
        let models = json(client.request("GET", "/models"))
        #expect((models["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["pairmf"])
        let skipped = (models["skipped"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")/\($0["reason"] ?? "")" }
        #expect(skipped == ["als/the store has no events for it"])
        // The job says the same.
        let job = json(client.request("GET", "/retrain/job-1", headers: [("Authorization", "Bearer \(ServerProcess.adminToken)")]))
        #expect((job["skipped"] as? [[String: Any]] ?? []).map { "\($0["name"] ?? "")/\($0["reason"] ?? "")" } == skipped)
        #expect(server.terminate() == 0)
    }

    @Test func aBadBatchIsRefusedWholeAndTheServerKeepsServing() throws {
        let server = try ServerProcess(arguments: ["--models", "pairmf,popular"])
        let client = try server.client()
        let body = #"[{"from": "a", "to": "b", "type": "also_bought"}, {"from": "c", "to": "c", "type": "also_bought"}, {"from": "d", "to": "e", "type": "teleported"}]"#
        let refused = client.request("POST", "/relations", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        #expect(refused?.status == 400)
        let error = json(refused)["error"] as? [String: Any] ?? [:]
        #expect(error["code"] as? String == "invalid_relations")
        let details = (error["details"] as? [[String: Any]] ?? []).map { "\($0["index"] ?? "")/\($0["field"] ?? "")" }
        #expect(details.contains("1/to") && details.contains("2/type"), "\(details)")
        let stored = json(client.request("GET", "/items/a/relations"))
        #expect((stored["relations"] as? [Any])?.isEmpty ?? true, "nothing of the batch is stored: \(stored)")
        #expect(client.request("GET", "/healthz")?.status == 200)
        #expect(server.terminate() == 0)
    }

    @Test func aStoreOfRelationsAloneGetsItsFirstPassWithoutBeingAsked() throws {
        let server = try ServerProcess(arguments: ["--models", "als,pairmf", "--set", "pairmf.factors=8"])
        let client = try server.client()
        let relations = (0..<8).map { #"{"from": "x\#($0)", "to": "x\#(($0 + 1) % 8)", "type": "also_viewed"}"# }
        #expect(client.request("POST", "/relations", headers: [("Content-Type", "application/x-ndjson")],
                               body: Array(relations.joined(separator: "\n").utf8))?.status == 200)
        // The schedule looks every 2 seconds; bounded at 30.
        var names: [String] = []
        for _ in 0..<300 where names.isEmpty {
            names = (json(client.request("GET", "/models"))["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
            if names.isEmpty { usleep(100_000) }
        }
        #expect(names == ["pairmf"], "log:\n\(server.log)")
        #expect(server.terminate() == 0)
    }
}
