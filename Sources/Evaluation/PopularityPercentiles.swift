import LinearAlgebra

/// Where each catalogue item stands in train popularity (docs/EVALUATION.md §5): the mid-rank percentile of its
/// number of train users, `100 × (items with fewer users + ½ × items with as many) / catalogue size`. The most
/// popular item of a large catalogue is near 100, the long tail near its own share; ties share one value.
package struct PopularityPercentiles: Sendable, Equatable {
    /// One percentile per item index, in `0...100`.
    package let values: [Double]

    /// The percentiles of the items of `train` (rows are users, columns items; every stored entry one user).
    package init(train: CSRMatrix) {
        self.init(userCounts: train.columnNonzeroCounts())
    }

    /// The percentiles from each item's number of train users.
    package init(userCounts: [Int]) {
        let total = Double(userCounts.count)
        let ascending = userCounts.sorted()
        var percentileOfCount: [Int: Double] = [:]
        var start = 0
        while start < ascending.count {
            var end = start
            while end < ascending.count && ascending[end] == ascending[start] { end += 1 }
            percentileOfCount[ascending[start]] = 100 * (Double(start) + Double(end - start) / 2) / total
            start = end
        }
        values = userCounts.map { percentileOfCount[$0] ?? 0 }
    }
}
