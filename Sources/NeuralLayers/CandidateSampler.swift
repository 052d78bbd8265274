#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra

/// The classes of a sampled softmax: every item a mini-batch's targets name, plus `negatives` draws from the
/// catalogue (Recoder's mini-batch negative sampling), with the `log Q` correction of each.
///
/// `Q_j` is the probability that item j is among the candidates: 1 for the batch's own items, about
/// `min(1, negatives · q_j)` for a sampled one, where `q` is the sampling distribution (uniform, or popularity
/// raised to `exponent`). Subtracting `log Q_j` from the logits (`SoftmaxCrossEntropy`'s correction) makes the
/// sampled normaliser an estimate of the full one, so the softmax learns the full catalogue's ranking rather
/// than one biased towards what the sampler draws often.
package final class CandidateSampler {
    /// How negatives are drawn.
    package enum Distribution: String, Sendable, Codable, CaseIterable {
        /// Every item alike.
        case uniform
        /// In proportion to `count^0.75` (word2vec's unigram exponent): popular items are drawn more.
        case popularity
    }

    /// Candidate items of the current batch: the targets' items in first-seen order, then the sampled ones.
    package private(set) var candidates: [Int32] = []
    /// `log Q` of each candidate, same order.
    package private(set) var correction: [Float] = []
    /// Candidate position of every item, -1 when not a candidate.
    private var positions: [Int32]
    /// Cumulative sampling weights (popularity), nil for uniform.
    private let cumulative: [Double]?
    /// Negatives drawn per batch.
    package let negatives: Int
    /// Items in the catalogue.
    package let itemCount: Int

    /// A sampler over `itemCount` items; `counts` (one per item) weighs `.popularity`.
    package init(itemCount: Int, negatives: Int, distribution: Distribution, counts: [Float]) {
        precondition(distribution == .uniform || counts.count == itemCount, "one count per item")
        self.itemCount = itemCount
        self.negatives = negatives
        positions = [Int32](repeating: -1, count: itemCount)
        if distribution == .popularity {
            var running = 0.0
            cumulative = counts.map { count in
                running += Glibc.pow(Double(Swift.max(0, count)), 0.75)
                return running
            }
        } else {
            cumulative = nil
        }
        candidates.reserveCapacity(negatives + 4096)
        correction.reserveCapacity(negatives + 4096)
    }

    /// Chooses the candidates for `targets` (columns are items) and rewrites the targets' columns to candidate
    /// positions. Call `reset()` before the next batch.
    package func prepare(_ targets: inout SparseRows, generator: inout Xoshiro256StarStar) {
        for item in targets.columns where positions[Int(item)] < 0 {
            positions[Int(item)] = Int32(candidates.count)
            candidates.append(item)
            correction.append(0)
        }
        let total = cumulative?.last ?? 0
        for _ in 0..<negatives {
            let item: Int
            if let cumulative, total > 0 {
                item = Self.search(cumulative, Double(generator.next() >> 11) * 0x1p-53 * total)
            } else {
                item = generator.nextIndex(below: itemCount)
            }
            guard positions[item] < 0 else { continue }
            let probability = cumulative.map { (($0[item] - (item > 0 ? $0[item - 1] : 0)) / total) }
                ?? 1 / Double(itemCount)
            positions[item] = Int32(candidates.count)
            candidates.append(Int32(item))
            correction.append(Float(Glibc.log(Swift.min(1, Double(negatives) * probability))))
        }
        targets.remapColumns(positions)
    }

    /// Forgets the current candidates.
    package func reset() {
        for item in candidates { positions[Int(item)] = -1 }
        candidates.removeAll(keepingCapacity: true)
        correction.removeAll(keepingCapacity: true)
    }

    /// The first index whose cumulative weight exceeds `target`.
    private static func search(_ cumulative: [Double], _ target: Double) -> Int {
        var (low, high) = (0, cumulative.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
