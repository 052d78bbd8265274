import JSON
import Evaluation
import Foundation
import Testing

struct EvaluationReportTests {
    static func sampleReport() throws -> EvaluationReport {
        let split = try EvaluationSplit(SplitFixtures.leaveLastOut, kind: .leaveLastOut)
        let metrics = [10, 20].map {
            MetricsAtK(k: $0, recall: 0.5, precision: 0.05, hitRate: 0.5, ndcg: 0.25, map: 0.125, coverage: 0.75,
                       users: 2, shortLists: 1)
        }
        let model = ModelResult(
            model: "als",
            parameters: [("factors", .integer(64)), ("regularization", .number(0.05)), ("alpha", .integer(10)),
                         ("iterations", .integer(15))],
            fitSeconds: 0.42, recommendSeconds: 0.05, metrics: metrics)
        return EvaluationReport(split: SplitSummary(split), ks: [10, 20], seed: 1, models: [model])
    }

    private func keys(_ value: Any?) -> [String] {
        ((value as? [String: Any])?.keys.map { $0 } ?? []).sorted()
    }

    @Test func writesTheProtocolKeys() throws {
        let text = try Self.sampleReport().json.serialized()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(keys(object) == ["ks", "models", "protocol", "seed", "split"])
        #expect(object["protocol"] as? String == "recsmith-eval-v1")
        #expect(object["ks"] as? [Int] == [10, 20])
        #expect(object["seed"] as? Int == 1)
        #expect(keys(object["split"]) == [
            "fingerprint_test_sha256", "fingerprint_train_sha256", "kind", "test_pairs", "test_users",
            "train_items", "train_pairs", "train_users",
        ])
        let split = try #require(object["split"] as? [String: Any])
        #expect(split["kind"] as? String == "leave-last-out")
        #expect(split["train_pairs"] as? Int == 6)
        #expect(split["train_users"] as? Int == 5)
        #expect(split["train_items"] as? Int == 4)
        #expect(split["test_users"] as? Int == 2)
        #expect(split["test_pairs"] as? Int == 2)
        #expect((split["fingerprint_train_sha256"] as? String)?.count == 64)
        let model = try #require((object["models"] as? [[String: Any]])?.first)
        #expect(keys(model) == ["fit_s", "metrics", "model", "params", "recommend_s"])
        #expect(keys(model["params"]) == ["alpha", "factors", "iterations", "regularization"])
        #expect(keys(model["metrics"]) == ["10", "20"])
        let atTen = try #require((model["metrics"] as? [String: Any])?["10"])
        #expect(keys(atTen) == ["coverage", "hit_rate", "map", "ndcg", "precision", "recall", "short_lists", "users"])
        #expect((atTen as? [String: Any])?["short_lists"] as? Int == 1)
        #expect((atTen as? [String: Any])?["ndcg"] as? Double == 0.25)
    }

    @Test func keepsTheDocumentedKeyOrder() throws {
        let text = try Self.sampleReport().json.serialized(indent: 0)
        #expect(text.hasPrefix("{\"protocol\": \"recsmith-eval-v1\", \"split\": {\"kind\": \"leave-last-out\", \"train_pairs\": 6"))
        #expect(text.contains("\"params\": {\"factors\": 64, \"regularization\": 0.05, \"alpha\": 10, \"iterations\": 15}"))
        #expect(text.contains("\"10\": {\"recall\": 0.5, \"ndcg\": 0.25, \"hit_rate\": 0.5, \"map\": 0.125, \"precision\": 0.05, \"coverage\": 0.75, \"users\": 2, \"short_lists\": 1}"))
        #expect(!text.contains("\"grid\""))
    }

    @Test func keepsScalarArraysOnOneLine() throws {
        let text = try Self.sampleReport().json.serialized()
        #expect(text.contains("\"ks\": [10, 20],\n"))
        #expect(text.contains("\"models\": [\n"))
    }
}
