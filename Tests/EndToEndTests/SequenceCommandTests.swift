import Foundation
import Testing

/// `recsmith generate --sequence-share` and `recsmith evaluate --set` on the command line: planted successors that
/// markov finds and popularity cannot, and a model parameter fixed for the whole run.
@Suite struct SequenceCommandTests {
    @Test func markovFindsTheGeneratedSuccessorsWithItsWindowSetOnTheCommandLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-sequence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let events = directory.appendingPathComponent("events.csv").path, json = directory.appendingPathComponent("result.json")
        let generated = try runRecsmith(["generate", "--users", "300", "--items", "200", "--events", "9000",
                                         "--sequence-share", "0.6", "--output", events])
        #expect(generated.status == 0, "\(generated.error)")
        let result = try runRecsmith(["evaluate", "--data", events, "--models", "pop,markov", "--k", "10",
                                      "--set", "markov.window=1", "--json", json.path], timeoutSeconds: 120)
        #expect(result.status == 0, "\(result.error)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any]
        let models = report?["models"] as? [[String: Any]] ?? []
        func ndcg(_ name: String) -> Double {
            let model = models.first { $0["model"] as? String == name }
            let metrics = (model?["metrics"] as? [String: Any])?["10"] as? [String: Any]
            return metrics?["ndcg"] as? Double ?? 0
        }
        #expect(ndcg("markov") > 3 * ndcg("pop"), "markov \(ndcg("markov")), pop \(ndcg("pop"))")
        let params = models.first { $0["model"] as? String == "markov" }?["params"] as? [String: Any]
        #expect(params?["window"] as? Int == 1)

        let refused = try runRecsmith(["evaluate", "--data", events, "--models", "markov", "--set", "markov.order=2"])
        #expect(refused.status != 0 && refused.error.contains("invalid --set \"markov.order=2\""), "\(refused.error)")
        let unknown = try runRecsmith(["generate", "--sequence-share", "1.5"])
        #expect(unknown.status != 0 && unknown.error.contains("--sequence-share"))
    }
}
