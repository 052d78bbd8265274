import Evaluation
import Testing

/// Expected values are worked out by hand from docs/EVALUATION.md §5 (log2 values to 16 digits).
struct UserMetricsTests {
    private func close(_ actual: Double, _ expected: Double) -> Bool {
        abs(actual - expected) <= 1e-12 * max(1, abs(expected))
    }

    @Test func scoresAPartialHit() {
        // List 5 3 9 1, relevant {1, 3}, k = 3: one hit at rank 2, m = 2.
        let metrics = UserMetrics(recommended: [5, 3, 9, 1], relevant: [1, 3], k: 3)
        #expect(metrics.recall == 0.5)
        #expect(close(metrics.precision, 1.0 / 3))
        #expect(metrics.hit == 1)
        // (1/log2 3) / (1 + 1/log2 3)
        #expect(close(metrics.ndcg, 0.38685280723454163))
        // (1/2) · (1/2)
        #expect(metrics.averagePrecision == 0.25)
    }

    @Test func scoresAllRelevantFoundAtK4() {
        // k = 4: hits at ranks 2 and 4.
        let metrics = UserMetrics(recommended: [5, 3, 9, 1], relevant: [1, 3], k: 4)
        #expect(metrics.recall == 1)
        #expect(metrics.precision == 0.5)
        // (1/log2 3 + 1/log2 5) / (1 + 1/log2 3)
        #expect(close(metrics.ndcg, 0.6509209298071326))
        // (1/2) · (1/2 + 2/4)
        #expect(metrics.averagePrecision == 0.5)
    }

    @Test func countsEmptySlotsAsMisses() {
        let metrics = UserMetrics(recommended: [7], relevant: [7], k: 10)
        #expect(metrics.recall == 1)
        #expect(metrics.precision == 0.1)
        #expect(metrics.ndcg == 1)
        #expect(metrics.averagePrecision == 1)
        let empty = UserMetrics(recommended: [Int32](), relevant: [7], k: 10)
        #expect(empty == UserMetrics(recall: 0, precision: 0, hit: 0, ndcg: 0, averagePrecision: 0))
    }

    @Test func capsTheDenominatorAtK() {
        // 15 relevant items, the 10 recommended all relevant: m = min(10, 15) = 10, so everything is perfect.
        let relevant = (Int32(0)..<15).map { $0 }
        let metrics = UserMetrics(recommended: Array(relevant.prefix(10)).reversed(), relevant: relevant, k: 10)
        #expect(metrics == UserMetrics(recall: 1, precision: 1, hit: 1, ndcg: 1, averagePrecision: 1))
    }
}
