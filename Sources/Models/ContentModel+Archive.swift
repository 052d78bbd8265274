import LinearAlgebra

/// Payload: weighting code (u8: 0 tfidf, 1 bm25), half-life (f64), category, label and text weights (f32);
/// term count `v` (u64) and every term (kind u8, name and value as u32 length + UTF-8); `v` document
/// frequencies (i32); `itemCount` document lengths (i32); entry count `e` (u64), `itemCount + 1` offsets
/// (u64), `e` term ids (i32) and `e` weights (f32) of the item vectors.
///
/// The overlay of `updating` is folded in: the archive holds every item's current vector and the current
/// statistics, and the inverted index is rebuilt when it is read.
extension ContentModel: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt8(parameters.weighting == .tfidf ? 0 : 1))
        writer.write(parameters.halfLifeSeconds)
        writer.write(parameters.categoryWeight)
        writer.write(parameters.labelWeight)
        writer.write(parameters.textWeight)
        let vocabulary = index.vocabulary + overlay.addedTerms
        writer.write(UInt64(vocabulary.count))
        for term in vocabulary {
            writer.write(term.kind.rawValue)
            writer.write(term.name)
            writer.write(term.value)
        }
        var frequencies = index.documentFrequencies + [Int32](repeating: 0, count: overlay.addedTerms.count)
        for (term, change) in overlay.frequencyChanges { frequencies[Int(term)] += change }
        writer.write(frequencies)
        var lengths = index.documentLengths + [Int32](repeating: 0, count: itemCount - index.documentLengths.count)
        for (item, length) in overlay.documentLengths { lengths[Int(item)] = length }
        writer.write(lengths)
        let vectors = foldedVectors()
        writer.write(UInt64(vectors.terms.count))
        for offset in vectors.offsets { writer.write(UInt64(offset)) }
        writer.write(vectors.terms)
        writer.write(vectors.weights)
    }

    /// Every item's current vector as flat CSR arrays: base rows with the overlay's in their place.
    private func foldedVectors() -> (offsets: [Int], terms: [Int32], weights: [Float]) {
        var offsets = [0], terms: [Int32] = [], weights: [Float] = []
        offsets.reserveCapacity(itemCount + 1)
        terms.reserveCapacity(index.vectors.nonzeroCount)
        weights.reserveCapacity(index.vectors.nonzeroCount)
        for item in 0..<itemCount {
            if let changed = overlay.vectors[Int32(item)] {
                terms.append(contentsOf: changed.terms)
                weights.append(contentsOf: changed.weights)
            } else if item < index.vectors.rowCount {
                let range = index.vectors.entryRange(ofRow: item)
                terms.append(contentsOf: index.vectors.columns[range])
                weights.append(contentsOf: index.vectors.values[range])
            }
            offsets.append(terms.count)
        }
        return (offsets, terms, weights)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> ContentModel {
        let weightingCode = try reader.read(UInt8.self)
        guard weightingCode <= 1 else { throw .invalidPayload("unknown content weighting code \(weightingCode)") }
        let parameters = ContentParameters(
            weighting: weightingCode == 0 ? .tfidf : .bm25, halfLifeSeconds: try reader.read(Double.self),
            categoryWeight: try reader.read(Float.self), labelWeight: try reader.read(Float.self),
            textWeight: try reader.read(Float.self))
        do {
            try parameters.validate()
        } catch {
            throw .invalidPayload(error.description)
        }
        // Every term takes at least 9 bytes.
        let termCount = try reader.readCount(limit: reader.remaining / 9, what: "term count")
        var vocabulary: [ContentTerm] = []
        vocabulary.reserveCapacity(termCount)
        for _ in 0..<termCount {
            let code = try reader.read(UInt8.self)
            guard let kind = ContentTerm.Kind(rawValue: code) else { throw .invalidPayload("unknown term kind \(code)") }
            vocabulary.append(ContentTerm(kind: kind, name: try reader.readString(), value: try reader.readString()))
        }
        guard Set(vocabulary).count == vocabulary.count else { throw .invalidPayload("the vocabulary repeats a term") }
        let frequencies = try reader.readInt32s(termCount)
        let lengths = try reader.readInt32s(itemCount)
        guard frequencies.allSatisfy({ $0 >= 0 }), lengths.allSatisfy({ $0 >= 0 }) else {
            throw .invalidPayload("negative document frequency or length")
        }
        let entries = try reader.readCount(limit: reader.remaining / 8, what: "vector entry count")
        var offsets: [Int] = []
        offsets.reserveCapacity(min(itemCount + 1, reader.remaining / 8))
        for _ in 0...itemCount {
            offsets.append(try reader.readCount(limit: entries, what: "vector offset"))
        }
        let terms = try reader.readInt32s(entries)
        let weights = try reader.readFloats(entries)
        let vectors: CSRMatrix
        do {
            vectors = try CSRMatrix(
                rowCount: itemCount, columnCount: termCount, rowOffsets: offsets, columns: terms, values: weights)
        } catch {
            throw .invalidPayload("item vectors: \(error)")
        }
        let index = ContentIndex(
            vocabulary: vocabulary, documentFrequencies: frequencies, documentLengths: lengths, vectors: vectors)
        return ContentModel(
            userCount: userCount, itemCount: itemCount, parameters: parameters, index: index, overlay: ContentOverlay())
    }
}
