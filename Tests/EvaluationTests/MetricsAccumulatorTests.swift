import Evaluation
import Testing

/// Expected values are worked out by hand from docs/EVALUATION.md §5 (log2 values to 16 digits).
struct MetricsAccumulatorTests {
    private func close(_ actual: Double, _ expected: Double) -> Bool {
        abs(actual - expected) <= 1e-12 * max(1, abs(expected))
    }

    @Test func accumulatesMeansCoverageAndShortLists() {
        var accumulator = MetricsAccumulator(ks: [3, 1], catalogueSize: 6)
        accumulator.add(recommended: [4, 2, 5], relevant: [2])
        accumulator.add(recommended: [0], relevant: [0, 3])
        accumulator.add(recommended: [], relevant: [1])
        let results = accumulator.results()
        #expect(results.map(\.k) == [1, 3])
        let atOne = results[0], atThree = results[1]
        #expect(close(atOne.recall, 1.0 / 3) && close(atOne.ndcg, 1.0 / 3) && close(atOne.map, 1.0 / 3))
        #expect(close(atOne.coverage, 2.0 / 6))
        #expect(atOne.shortLists == 1)
        #expect(atThree.recall == 0.5)
        #expect(close(atThree.precision, 2.0 / 9))
        #expect(close(atThree.hitRate, 2.0 / 3))
        // (1/log2 3 + 1/(1 + 1/log2 3) + 0) / 3
        #expect(close(atThree.ndcg, 0.4146923154456386))
        #expect(close(atThree.map, 1.0 / 3))
        #expect(close(atThree.coverage, 4.0 / 6))
        #expect(atThree.users == 3)
        #expect(atThree.shortLists == 2)
    }
}
