import LinearAlgebra

/// Exact answers for the benchmark's queries, from blocked sgemm over every item.
struct HNSWGroundTruth {
    /// Each query's exact top k.
    var plain: [[Int32]]
    /// Each query's exact top k without its seen items.
    var unseen: [[Int32]]
    /// Each query's exact top k among the items `filter` passes.
    var filtered: [[Int32]]

    /// Computes the three answers; for cluster data (`addsTopSeen`) it first adds every fourth of each query's
    /// exact top 100 to its seen items.
    static func compute(
        _ data: inout HNSWBenchData, count k: Int, addsTopSeen: Bool, filter: (Int32) -> Bool
    ) -> HNSWGroundTruth {
        let n = data.itemCount, d = data.dimension, block = 32
        var truth = HNSWGroundTruth(plain: [], unseen: [], filtered: [])
        var scores = [Float](repeating: 0, count: block * n)
        var first = 0
        while first < data.queryCount {
            let rows = min(block, data.queryCount - first)
            data.items.withUnsafeBufferPointer { items in
                data.queries.withUnsafeBufferPointer { queries in
                    scores.withUnsafeMutableBufferPointer { output in
                        BLAS.gemm(
                            .none, .transpose, m: rows, n: n, k: d, alpha: 1, a: queries.baseAddress! + first * d, lda: d,
                            b: items.baseAddress!, ldb: d, beta: 0, c: output.baseAddress!, ldc: n)
                    }
                }
            }
            for row in 0..<rows {
                let query = first + row
                scores.withUnsafeBufferPointer { all in
                    let scores = UnsafeBufferPointer(rebasing: all[row * n..<(row + 1) * n])
                    if addsTopSeen {
                        let top = TopK.select(scores, count: 100).map(\.index)
                        data.seen[query] = Array(Set(data.seen[query] + stride(from: 0, to: top.count, by: 4).map { top[$0] })).sorted()
                    }
                    truth.plain.append(TopK.select(scores, count: k).map(\.index))
                    truth.unseen.append(TopK.select(scores, count: k, excludingSorted: data.seen[query]).map(\.index))
                    truth.filtered.append(TopK.select(scores, count: k) { !filter($0) }.map(\.index))
                }
            }
            first += rows
        }
        return truth
    }

    /// Mean share of each exact answer that `found` holds.
    static func recall(_ found: [[Int32]], _ exact: [[Int32]]) -> Double {
        var total = 0.0
        for (answer, truth) in zip(found, exact) where !truth.isEmpty {
            total += Double(Set(answer).intersection(truth).count) / Double(truth.count)
        }
        return total / Double(max(1, exact.count))
    }
}
