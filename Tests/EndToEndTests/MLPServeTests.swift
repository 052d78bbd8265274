import Foundation
import TestSupport
import Testing

/// `mlp` against the real binary: trained by a pass when named in `--models`, answering a trained user, a newcomer
/// folded in from their first events, and similar items.
@Suite struct MLPServeTests {
    @Test func mlpAnswersTrainedUsersAndFoldsInANewcomer() throws {
        let server = try ServerProcess(arguments: ["--models", "mlp,popular", "--set", "mlp.hidden=16", "--set", "mlp.factors=8",
                                                   "--set", "mlp.epochs=100", "--set", "mlp.batch_size=16",
                                                   "--set", "mlp.learning_rate=0.01", "--set", "mlp.weight_decay=0"])
        let client = try server.client()
        // Two tastes: even users take the a-items, odd users the b-items (each user all but one of their four).
        var events: [String] = []
        for user in 0..<40 {
            let taste = user % 2 == 0 ? "a" : "b"
            for item in 0..<4 where item != user % 4 {
                events.append(#"{"user": "u\#(user)", "item": "\#(taste)\#(item)"}"#)
            }
        }
        let posted = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")],
                                    body: Array(events.joined(separator: "\n").utf8))
        #expect(posted?.status == 200)
        #expect(server.retrainAndWait(client) == "succeeded", "log:\n\(server.log)")

        func items(_ path: String) -> [String] {
            let answer = json(client.request("GET", path))
            #expect(answer["model"] as? String == "mlp", "\(answer)")
            return (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        }
        // u0 took a1, a2, a3: the a-item it lacks comes first.
        #expect(items("/users/u0/recommendations?k=1&model=mlp") == ["a0"])
        #expect(items("/users/u1/recommendations?k=1&model=mlp") == ["b1"])
        // A newcomer's events after the pass: folded in from them at once.
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/json")],
                               body: Array(#"[{"user": "fresh", "item": "b0"}, {"user": "fresh", "item": "b2"}]"#.utf8))?.status == 200)
        #expect(Set(items("/users/fresh/recommendations?k=2&model=mlp")) == ["b1", "b3"])
        #expect(items("/items/a0/similar?k=3&model=mlp").count == 3)
        let models = json(client.request("GET", "/models"))
        let names = Set((models["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(names == ["mlp", "popular"], "\(models)")
        #expect(server.terminate() == 0)
    }
}
