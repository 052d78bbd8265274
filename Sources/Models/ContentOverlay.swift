/// The items a `ContentModel` changed since its fit (`ContentModel.updating`), kept beside the shared
/// `ContentIndex` instead of rebuilding it.
///
/// Scoring recomputes the score of each overlay item directly, so every query pays for the overlay's
/// vectors on top of its postings: it is meant to stay small until the next full fit folds it in.
struct ContentOverlay: Sendable {
    /// The current vector of each changed item; empty when its document was removed.
    var vectors: [Int32: ContentVector] = [:]
    /// The current term count of each changed item's document.
    var documentLengths: [Int32: Int32] = [:]
    /// Terms the index does not know, with ids from `index.vocabulary.count` on.
    var addedTerms: [ContentTerm] = []
    /// The ids of `addedTerms`.
    var addedTermIDs: [ContentTerm: Int32] = [:]
    /// Change of each term's document frequency against the index (new terms included).
    var frequencyChanges: [Int32: Int32] = [:]
    /// Change of the number of documents with a term.
    var documentCountChange = 0
    /// Change of the summed term count.
    var totalLengthChange = 0
}
