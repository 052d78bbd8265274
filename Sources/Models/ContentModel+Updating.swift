extension ContentModel {
    /// A model in which each changed item has the vector of its new document, without a training pass; a nil
    /// document takes the item out of the content model (it scores `-inf` and is never similar). Items may lie
    /// past `itemCount`; the new model covers them. Later changes of the same item win.
    ///
    /// Document frequencies, the document count and the summed length are kept current, and terms the
    /// vocabulary lacks get new ids, so a changed item's vector is the one a full fit over the same documents
    /// would give it. Other items keep their vectors, weighted with the fit's statistics, until the next fit.
    ///
    /// Cost: tokenizing the new documents, plus a copy of the overlay of changed items (the fitted index is
    /// shared, never copied). Every query then also pays a dot product per overlay item, so the overlay is
    /// meant to stay small between passes.
    package func updating(_ changes: [(item: Int32, document: ItemDocument?)]) -> ContentModel {
        var overlay = self.overlay
        var itemCount = self.itemCount
        var pending: [Int32: TermCounts] = [:]
        for (item, document) in changes {
            precondition(item >= 0, "item indices are never negative")
            itemCount = max(itemCount, Int(item) + 1)
            let current = pending[item] ?? TermCounts(terms: vector(of: item).terms, counts: [], length: length(of: item, in: overlay))
            overlay.count(current, sign: -1)
            let next = document.map { termCounts(of: $0, registeringTermsIn: &overlay) } ?? TermCounts()
            overlay.count(next, sign: 1)
            pending[item] = next
        }
        let weighting = ContentWeighting(
            parameters: parameters, documentCount: index.documentCount + overlay.documentCountChange,
            totalLength: index.totalLength + overlay.totalLengthChange)
        for (item, document) in pending {
            var vector = ContentVector(terms: document.terms, weights: [Float](repeating: 0, count: document.terms.count))
            vector.weights.withUnsafeMutableBufferPointer { weights in
                weighting.unitWeights(length: document.length, into: weights) { position in
                    let term = document.terms[position]
                    return (document.counts[position], weighting.inverseFrequency(frequency(of: term, in: overlay)),
                            kind(of: term, in: overlay))
                }
            }
            overlay.vectors[item] = vector
            overlay.documentLengths[item] = document.length
        }
        return ContentModel(userCount: userCount, itemCount: itemCount, parameters: parameters, index: index, overlay: overlay)
    }

    /// The distinct terms of `document` with their counts, terms ascending; unknown terms are added to `overlay`.
    private func termCounts(of document: ItemDocument, registeringTermsIn overlay: inout ContentOverlay) -> TermCounts {
        var counts: [Int32: Int32] = [:]
        ContentTokenizer.forEachTerm(in: document, skipping: parameters.ignoredKinds) { term in
            let id: Int32
            if let known = index.termIDs[term] ?? overlay.addedTermIDs[term] {
                id = known
            } else {
                id = Int32(index.vocabulary.count + overlay.addedTerms.count)
                overlay.addedTerms.append(term)
                overlay.addedTermIDs[term] = id
            }
            counts[id, default: 0] += 1
        }
        let terms = counts.keys.sorted()
        return TermCounts(terms: terms, counts: terms.map { counts[$0]! }, length: counts.values.reduce(0, +))
    }

    private func length(of item: Int32, in overlay: ContentOverlay) -> Int32 {
        overlay.documentLengths[item] ?? (Int(item) < index.documentLengths.count ? index.documentLengths[Int(item)] : 0)
    }

    private func frequency(of term: Int32, in overlay: ContentOverlay) -> Int32 {
        (Int(term) < index.documentFrequencies.count ? index.documentFrequencies[Int(term)] : 0)
            + overlay.frequencyChanges[term, default: 0]
    }

    private func kind(of term: Int32, in overlay: ContentOverlay) -> ContentTerm.Kind {
        Int(term) < index.termKinds.count
            ? index.termKinds[Int(term)] : overlay.addedTerms[Int(term) - index.termKinds.count].kind
    }
}

/// One document's distinct terms (ascending), their counts, and its term count.
private struct TermCounts {
    var terms: [Int32] = []
    var counts: [Int32] = []
    var length: Int32 = 0
}

extension ContentOverlay {
    /// Adds (`sign` 1) or removes (`sign` -1) a document's terms and length from the statistics.
    fileprivate mutating func count(_ document: TermCounts, sign: Int32) {
        for term in document.terms {
            let change = frequencyChanges[term, default: 0] + sign
            frequencyChanges[term] = change == 0 ? nil : change
        }
        guard document.length > 0 else { return }
        documentCountChange += Int(sign)
        totalLengthChange += Int(sign) * Int(document.length)
    }
}
