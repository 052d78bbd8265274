import LinearAlgebra

/// The fitted, immutable part of a `ContentModel`: the vocabulary with its statistics, every item's unit
/// vector, and the inverted index (term → items) that scoring walks.
///
/// Models derived by `ContentModel.updating` share one index; nothing here is ever modified.
struct ContentIndex: Sendable {
    /// Every term by id.
    let vocabulary: [ContentTerm]
    /// The id of every term.
    let termIDs: [ContentTerm: Int32]
    /// The kind of every term, by id (read in the weighting loop instead of the term itself).
    let termKinds: [ContentTerm.Kind]
    /// How many documents hold each term, by id.
    let documentFrequencies: [Int32]
    /// Term count of each item's document (0 without one), by item.
    let documentLengths: [Int32]
    /// Documents with at least one term.
    let documentCount: Int
    /// Summed term count of all documents.
    let totalLength: Int
    /// Items × terms: each item's unit vector, terms ascending; an item without a document has an empty row.
    let vectors: CSRMatrix
    /// Terms × items: the transpose of `vectors`.
    let postings: CSRMatrix

    /// An index over `vectors` (validated by the caller), deriving the lookup tables and the postings.
    init(vocabulary: [ContentTerm], documentFrequencies: [Int32], documentLengths: [Int32], vectors: CSRMatrix) {
        precondition(vocabulary.count == documentFrequencies.count && vectors.columnCount == vocabulary.count)
        precondition(documentLengths.count == vectors.rowCount, "one length per item")
        self.vocabulary = vocabulary
        var termIDs = [ContentTerm: Int32](minimumCapacity: vocabulary.count)
        for (id, term) in vocabulary.enumerated() { termIDs[term] = Int32(id) }
        self.termIDs = termIDs
        termKinds = vocabulary.map(\.kind)
        self.documentFrequencies = documentFrequencies
        self.documentLengths = documentLengths
        documentCount = documentLengths.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        totalLength = documentLengths.reduce(0) { $0 + Int($1) }
        self.vectors = vectors
        postings = vectors.transposed()
    }

    /// The base vector of `item`; empty past the fitted items.
    func vector(of item: Int) -> ContentVector {
        guard item < vectors.rowCount else { return ContentVector() }
        let range = vectors.entryRange(ofRow: item)
        return ContentVector(terms: Array(vectors.columns[range]), weights: Array(vectors.values[range]))
    }
}
