import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Popularity sampled with a temperature (recpack's randomised softmax popularity), an exploration model.
///
/// Item `i` is drawn with probability `p_i ∝ exp(ln(count_i) / τ)`, `count_i` its summed interaction values, among
/// the `candidates` most popular items (ties: smaller index). A ranking is a sample without replacement in one
/// pass (Gumbel-top-k): each query scores `ln(count_i) / τ + G_i` with `G_i = −ln(−ln U_i)` from the query's
/// generator (see ``UserQuery/seed``), and the top `k` of those scores are distributed as `k` successive draws
/// with probabilities `p` renormalised over the items not yet drawn. Masking the user's items before the cut
/// restricts the draws to unseen items. Items without events, or outside the candidates, are never drawn.
package struct SoftmaxPopularity: Recommender {
    /// Always `.softmax`.
    package var kind: ModelKind { .softmax }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package var itemCount: Int { logits.count }
    /// `ln(count_i) / τ` of every item; `−∞` for items that are never drawn.
    package let logits: [Float]
    /// `τ` used in training.
    package let temperature: Float
    /// The fit's seed; queries without a seed of their own draw from it.
    package let seed: UInt64

    /// A model over precomputed logits.
    package init(userCount: Int, logits: [Float], temperature: Float, seed: UInt64) {
        self.userCount = userCount
        self.logits = logits
        self.temperature = temperature
        self.seed = seed
    }

    /// Sums the interactions of every item and keeps the logits of the `candidates` most popular.
    package static func fit(
        _ data: TrainingData, parameters: SoftmaxParameters = .init(), seed: UInt64
    ) throws(ModelError) -> SoftmaxPopularity {
        try parameters.validate()
        let matrix = data.interactions
        var counts = [Double](repeating: 0, count: matrix.columnCount)
        for entry in 0..<matrix.nonzeroCount {
            counts[Int(matrix.columns[entry])] += Double(matrix.values[entry])
        }
        var drawn = counts.indices.filter { counts[$0] > 0 }
        if parameters.candidates > 0 && drawn.count > parameters.candidates {
            drawn.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
            drawn.removeSubrange(parameters.candidates...)
        }
        var logits = [Float](repeating: -.infinity, count: matrix.columnCount)
        for item in drawn { logits[item] = Float(log(counts[item]) / Double(parameters.temperature)) }
        return SoftmaxPopularity(
            userCount: matrix.rowCount, logits: logits, temperature: parameters.temperature, seed: seed)
    }

    /// Writes the Gumbel-perturbed logits of one fresh draw; answers every query.
    package func score(_ query: UserQuery, into scores: UnsafeMutableBufferPointer<Float>) -> Bool {
        precondition(scores.count == itemCount, "score buffer must hold itemCount values")
        var generator = QuerySampling.generator(for: query, fitSeed: seed)
        for item in 0..<itemCount {
            let logit = logits[item]
            guard logit > -.infinity else {
                scores[item] = -.infinity
                continue
            }
            // U in (0, 1) with 53 random bits, so neither logarithm sees 0 or 1.
            let uniform = (Double(generator.next() >> 11) + 0.5) * 0x1p-53
            scores[item] = logit + Float(-log(-log(uniform)))
        }
        return true
    }

    /// Softmax popularity has no notion of item similarity.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        nil
    }
}
