import LinearAlgebra

extension ContentModel {
    /// Builds every item's vector from `data.itemDocuments`; events are not needed (a catalogue without any
    /// still gives similar items), and the interaction matrix only sets the user and item counts.
    ///
    /// Throws `ModelError.missingItemDocuments` without documents and `.invalidTrainingData` when no document
    /// has a term. Tokenizing and weighting run in parallel over items.
    package static func fit(
        _ data: TrainingData, parameters: ContentParameters = .init(), threads: Int = 0
    ) throws(ModelError) -> ContentModel {
        try parameters.validate()
        guard let documents = data.itemDocuments else { throw .missingItemDocuments(kind: .content) }
        let itemCount = max(data.interactions.columnCount, documents.count)
        guard itemCount <= Int(Int32.max) else {
            throw .invalidTrainingData(kind: .content, reason: "\(itemCount) items exceed the index range")
        }
        let corpus = ContentCorpus.tokenize(
            documents, itemCount: itemCount, ignoring: parameters.ignoredKinds, threads: threads)
        guard corpus.documentCount > 0 else {
            throw .invalidTrainingData(kind: .content, reason: "no item document has a category, label or word")
        }
        return ContentModel(
            userCount: data.interactions.rowCount, itemCount: itemCount, parameters: parameters,
            index: try corpus.index(parameters: parameters, threads: threads), overlay: ContentOverlay())
    }
}
