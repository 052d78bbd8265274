#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns term counts into unit vectors under one weighting and one set of corpus statistics.
///
/// Fitting and `ContentModel.updating` both go through `unitWeights`, so an item's vector depends only on its
/// document and the statistics, whichever path made it.
struct ContentWeighting {
    /// BM25's term-frequency saturation.
    static let bm25K1 = 1.2
    /// BM25's length normalisation.
    static let bm25B = 0.75

    let parameters: ContentParameters
    /// Documents with at least one term (`N`).
    let documentCount: Int
    /// Mean term count of those documents (BM25's `avgdl`).
    let averageLength: Double

    /// Weighting for `documentCount` documents holding `totalLength` terms in all.
    init(parameters: ContentParameters, documentCount: Int, totalLength: Int) {
        self.parameters = parameters
        self.documentCount = documentCount
        averageLength = documentCount > 0 ? Double(totalLength) / Double(documentCount) : 1
    }

    /// The idf of a term held by `documentFrequency` documents.
    func inverseFrequency(_ documentFrequency: Int32) -> Double {
        let documents = Double(documentCount), frequency = Double(documentFrequency)
        switch parameters.weighting {
        case .tfidf: return log((1 + documents) / (1 + frequency)) + 1
        case .bm25: return log(1 + (documents - frequency + 0.5) / (frequency + 0.5))
        }
    }

    /// Writes the L2-normalised weights of one document's terms into `weights`: `entry(e)` gives term `e`'s
    /// count in the document, its idf and its kind; `length` is the document's term count.
    func unitWeights(
        length: Int32, into weights: UnsafeMutableBufferPointer<Float>,
        entry: (Int) -> (count: Int32, inverseFrequency: Double, kind: ContentTerm.Kind)
    ) {
        let lengthNorm = 1 - Self.bm25B + Self.bm25B * Double(length) / averageLength
        var squaredNorm = 0.0
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(weights.count, 1)) { raw in
            for position in 0..<weights.count {
                let term = entry(position)
                let count = Double(term.count)
                let frequencyWeight = switch parameters.weighting {
                case .tfidf: 1 + log(count)
                case .bm25: count * (Self.bm25K1 + 1) / (count + Self.bm25K1 * lengthNorm)
                }
                let weight = frequencyWeight * term.inverseFrequency * Double(parameters.weight(of: term.kind))
                raw[position] = weight
                squaredNorm += weight * weight
            }
            let scale = squaredNorm > 0 ? 1 / squaredNorm.squareRoot() : 0
            for position in 0..<weights.count { weights[position] = Float(raw[position] * scale) }
        }
    }
}
