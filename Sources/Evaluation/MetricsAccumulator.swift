/// Sums per-user metrics over test users, in the order they are added, and produces the means.
package struct MetricsAccumulator: Sendable {
    /// The cut-offs, ascending.
    package let ks: [Int]
    private let catalogueSize: Int
    private var sums: [UserMetrics]
    private var shortLists: [Int]
    private var covered: [[Bool]]
    private var coveredCounts: [Int]
    private let popularity: PopularityPercentiles?
    private var percentileSums: [Double]
    private var listEntries: [Int]
    private var users = 0

    /// An empty accumulator for the given cut-offs over a catalogue of `catalogueSize` items; with `popularity`
    /// (one percentile per catalogue item) it also measures the mean popularity percentile of the lists.
    package init(ks: [Int], catalogueSize: Int, popularity: PopularityPercentiles? = nil) {
        precondition(ks.allSatisfy { $0 > 0 }, "cut-offs must be positive")
        self.ks = ks.sorted()
        self.catalogueSize = catalogueSize
        let zero = UserMetrics(recall: 0, precision: 0, hit: 0, ndcg: 0, averagePrecision: 0)
        sums = Array(repeating: zero, count: ks.count)
        shortLists = Array(repeating: 0, count: ks.count)
        covered = Array(repeating: Array(repeating: false, count: catalogueSize), count: ks.count)
        coveredCounts = Array(repeating: 0, count: ks.count)
        self.popularity = popularity
        percentileSums = Array(repeating: 0, count: ks.count)
        listEntries = Array(repeating: 0, count: ks.count)
    }

    /// Adds one test user's list (best first, at least `max(ks)` long unless the model ran short) and their
    /// test items (ascending).
    package mutating func add(recommended: [Int32], relevant: some RandomAccessCollection<Int32>) {
        users += 1
        for (index, k) in ks.enumerated() {
            let metrics = UserMetrics(recommended: recommended, relevant: relevant, k: k)
            sums[index].recall += metrics.recall
            sums[index].precision += metrics.precision
            sums[index].hit += metrics.hit
            sums[index].ndcg += metrics.ndcg
            sums[index].averagePrecision += metrics.averagePrecision
            if recommended.count < k { shortLists[index] += 1 }
            for item in recommended.prefix(k) where !covered[index][Int(item)] {
                covered[index][Int(item)] = true
                coveredCounts[index] += 1
            }
            if let popularity {
                for item in recommended.prefix(k) { percentileSums[index] += popularity.values[Int(item)] }
                listEntries[index] += min(k, recommended.count)
            }
        }
    }

    /// The means at every cut-off, in ascending `k`.
    package func results() -> [MetricsAtK] {
        let divisor = Double(max(users, 1))
        return ks.indices.map { index in
            MetricsAtK(
                k: ks[index],
                recall: sums[index].recall / divisor,
                precision: sums[index].precision / divisor,
                hitRate: sums[index].hit / divisor,
                ndcg: sums[index].ndcg / divisor,
                map: sums[index].averagePrecision / divisor,
                coverage: catalogueSize == 0 ? 0 : Double(coveredCounts[index]) / Double(catalogueSize),
                users: users,
                shortLists: shortLists[index],
                popularityPercentile: popularity == nil
                    ? nil : percentileSums[index] / Double(max(listEntries[index], 1)))
        }
    }
}
