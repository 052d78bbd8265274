import LinearAlgebra

/// A model whose similar items are those whose vectors have the highest cosine with the item's: the first
/// `similarityDimensions` columns of `similarityVectors`' rows (a bias column after them is left out). Serving
/// can answer them from a cosine index over the same vectors instead of scoring every item.
package protocol CosineItemSimilarity: Recommender {
    /// One row per item.
    var similarityVectors: DenseMatrix { get }
    /// The leading columns of a row that make the item's vector.
    var similarityDimensions: Int { get }
    /// Each item's vector norm; an item whose vector is zero is similar to none.
    var similarityNorms: [Float] { get }
}

extension CosineItemSimilarity {
    /// Items by cosine of their vectors, best first, never `item` itself (one sgemv over the catalogue).
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        FactorScoring.similarItems(
            to: item, count: count, items: similarityVectors, dimensions: similarityDimensions, norms: similarityNorms,
            allowed: allowed)
    }
}
