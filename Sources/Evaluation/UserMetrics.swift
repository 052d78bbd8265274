import Foundation

/// The per-user metric values of one ranked list at one cut-off.
package struct UserMetrics: Sendable, Equatable {
    /// `h / m`.
    package var recall: Double
    /// `h / k`.
    package var precision: Double
    /// 1 when `h > 0`.
    package var hit: Double
    /// DCG over ideal DCG, binary gain.
    package var ndcg: Double
    /// Average precision over `m`.
    package var averagePrecision: Double

    /// Creates a record from known values.
    package init(recall: Double, precision: Double, hit: Double, ndcg: Double, averagePrecision: Double) {
        self.recall = recall
        self.precision = precision
        self.hit = hit
        self.ndcg = ndcg
        self.averagePrecision = averagePrecision
    }

    /// Scores `recommended` (best first; only its first `k` entries count) against `relevant`, which must be
    /// sorted ascending and non-empty.
    package init(recommended: some Collection<Int32>, relevant: some RandomAccessCollection<Int32>, k: Int) {
        precondition(k > 0 && !relevant.isEmpty, "need k > 0 and at least one relevant item")
        let idealCount = min(k, relevant.count)
        var hits = 0
        var dcg = 0.0
        var precisionSum = 0.0
        for (offset, item) in recommended.prefix(k).enumerated() where Self.contains(relevant, item) {
            hits += 1
            let rank = Double(offset + 1)
            dcg += 1 / log2(rank + 1)
            precisionSum += Double(hits) / rank
        }
        var idealDCG = 0.0
        for rank in 1...idealCount {
            idealDCG += 1 / log2(Double(rank) + 1)
        }
        recall = Double(hits) / Double(idealCount)
        precision = Double(hits) / Double(k)
        hit = hits > 0 ? 1 : 0
        ndcg = dcg / idealDCG
        averagePrecision = precisionSum / Double(idealCount)
    }

    private static func contains(_ sorted: some RandomAccessCollection<Int32>, _ item: Int32) -> Bool {
        var low = sorted.startIndex, high = sorted.endIndex
        while low < high {
            let middle = sorted.index(low, offsetBy: sorted.distance(from: low, to: high) / 2)
            if sorted[middle] == item { return true }
            if sorted[middle] < item { low = sorted.index(after: middle) } else { high = middle }
        }
        return false
    }
}
