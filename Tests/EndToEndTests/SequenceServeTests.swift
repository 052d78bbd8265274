import Foundation
import TestSupport
import Testing

/// `markov` and `autoencoder` against the real binary: trained by a pass when named in `--models`, answering
/// recommendations and similar items, markov from the latest event, the autoencoder for a newcomer.
@Suite struct SequenceServeTests {
    @Test func markovAnswersWhatPeopleTakeNextAndTheAutoencoderANewcomer() throws {
        let server = try ServerProcess(arguments: ["--models", "markov,autoencoder,popular", "--set", "autoencoder.hidden=16",
                                                   "--set", "autoencoder.epochs=5", "--set", "markov.window=1"])
        let client = try server.client()
        // Twenty users walk the same path a → b → c → d, one event per second.
        var events: [String] = []
        for user in 0..<20 {
            for (step, item) in ["a", "b", "c", "d"].enumerated() {
                events.append(#"{"user": "u\#(user)", "item": "\#(item)", "timestamp": \#(1_700_000_000 + user * 10 + step)}"#)
            }
        }
        let posted = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")],
                                    body: Array(events.joined(separator: "\n").utf8))
        #expect(posted?.status == 200)
        #expect(server.retrainAndWait(client) == "succeeded", "log:\n\(server.log)")

        let next = json(client.request("GET", "/items/b/similar?k=1&model=markov"))
        #expect(next["model"] as? String == "markov")
        #expect((next["items"] as? [[String: Any]])?.first?["item"] as? String == "c", "\(next)")
        // A new user's first event, after the pass: markov answers from it at once.
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/json")],
                               body: Array(#"{"user": "fresh", "item": "c"}"#.utf8))?.status == 200)
        let fresh = json(client.request("GET", "/users/fresh/recommendations?k=1&model=markov"))
        #expect((fresh["items"] as? [[String: Any]])?.first?["item"] as? String == "d", "\(fresh)")
        let encoded = json(client.request("GET", "/users/fresh/recommendations?k=2&model=autoencoder"))
        #expect(encoded["model"] as? String == "autoencoder")
        #expect((encoded["items"] as? [[String: Any]])?.count == 2, "\(encoded)")
        let models = json(client.request("GET", "/models"))
        let names = Set((models["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String })
        #expect(names == ["markov", "autoencoder", "popular"], "\(models)")
        #expect(server.terminate() == 0)
    }

    @Test func sequenceAnswersFromAnEventASecondOld() throws {
        let server = try ServerProcess(arguments: [
            "--models", "sequence,popular", "--set", "sequence.hidden=16", "--set", "sequence.epochs=40",
            "--set", "sequence.learning_rate=0.02", "--set", "sequence.batch_size=8",
        ])
        let client = try server.client()
        // Twenty users walk the same path a → b → c → d → e → f, one event per second.
        let path = ["a", "b", "c", "d", "e", "f"]
        var events: [String] = []
        for user in 0..<20 {
            for (step, item) in path.enumerated() {
                events.append(#"{"user": "u\#(user)", "item": "\#(item)", "timestamp": \#(1_700_000_000 + user * 10 + step)}"#)
            }
        }
        let posted = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")],
                                    body: Array(events.joined(separator: "\n").utf8))
        #expect(posted?.status == 200)
        #expect(server.retrainAndWait(client) == "succeeded", "log:\n\(server.log)")
        #expect((json(client.request("GET", "/items/c/similar?k=1&model=sequence"))["items"] as? [[String: Any]])?
            .first?["item"] as? String == "d")
        // A new user's events after the pass, two seconds and one second old: each answer follows the latest.
        let now = Int(Date().timeIntervalSince1970)
        func post(_ item: String, _ time: Int) {
            let body = #"{"user": "fresh", "item": "\#(item)", "timestamp": \#(time)}"#
            #expect(client.request("POST", "/events", headers: [("Content-Type", "application/json")], body: Array(body.utf8))?
                .status == 200)
        }
        func next() -> String? {
            let answer = json(client.request("GET", "/users/fresh/recommendations?k=1&model=sequence"))
            #expect(answer["model"] as? String == "sequence", "\(answer)")
            return (answer["items"] as? [[String: Any]])?.first?["item"] as? String
        }
        post("a", now - 2)
        #expect(next() == "b")
        post("b", now - 1)
        #expect(next() == "c")
        #expect(server.terminate() == 0)
    }
}
