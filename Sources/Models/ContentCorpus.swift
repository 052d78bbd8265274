import LinearAlgebra

/// Item documents as term counts over one vocabulary: the step between tokenizing and weighting.
///
/// Term ids follow the first appearance of each term in item order, whatever the number of threads, so a fit
/// is reproducible.
struct ContentCorpus {
    /// Every term by id.
    var vocabulary: [ContentTerm] = []
    /// How many documents hold each term, by id.
    var documentFrequencies: [Int32] = []
    /// `itemCount + 1` offsets into `entries`.
    var offsets: [Int] = [0]
    /// Per item, its distinct terms packed as `term id << 32 | count`, ascending (so by term id).
    var entries: [UInt64] = []
    /// Term count of each item's document (0 without one).
    var lengths: [Int32] = []

    /// Items per tokenizing chunk: at least 1,024, at most 16 chunks. Depends on the item count only.
    static func chunkSize(itemCount: Int) -> Int { max(1024, (itemCount + 15) / 16) }

    /// Tokenizes `documents` (item `i` is `documents[i]`; items past the list or nil have none) over
    /// `itemCount` items, skipping the `ignored` kinds. Chunks of items are tokenized in parallel, each with its
    /// own vocabulary; the vocabularies are then merged in chunk order and each item's terms sorted.
    static func tokenize(
        _ documents: [ItemDocument?], itemCount: Int, ignoring ignored: Set<ContentTerm.Kind>, threads: Int
    ) -> ContentCorpus {
        let size = chunkSize(itemCount: itemCount)
        let chunkCount = (itemCount + size - 1) / size
        var chunks = [TokenizedChunk](repeating: TokenizedChunk(), count: chunkCount)
        chunks.withUnsafeMutableBufferPointer { output in
            parallelFor(count: chunkCount, chunkSize: 1, maxWorkers: threads) { range, _ in
                for chunk in range {
                    output[chunk] = TokenizedChunk(
                        documents, items: chunk * size..<min(itemCount, (chunk + 1) * size), ignoring: ignored)
                }
            }
        }
        var corpus = ContentCorpus()
        corpus.merge(chunks)
        corpus.sortTerms(threads: threads)
        return corpus
    }

    /// Documents with at least one term.
    var documentCount: Int { lengths.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Weights every item's counts into its unit vector and builds the index.
    func index(parameters: ContentParameters, threads: Int) throws(ModelError) -> ContentIndex {
        let weighting = ContentWeighting(
            parameters: parameters, documentCount: documentCount, totalLength: lengths.reduce(0) { $0 + Int($1) })
        let inverseFrequencies = documentFrequencies.map { weighting.inverseFrequency($0) }
        let kinds = vocabulary.map(\.kind)
        let itemCount = lengths.count
        var columns = [Int32](repeating: 0, count: entries.count)
        var values = [Float](repeating: 0, count: entries.count)
        columns.withUnsafeMutableBufferPointer { columns in
            values.withUnsafeMutableBufferPointer { values in
                entries.withUnsafeBufferPointer { entries in
                    parallelFor(count: itemCount, chunkSize: 1024, maxWorkers: threads) { range, _ in
                        for item in range {
                            let start = offsets[item], end = offsets[item + 1]
                            for position in start..<end { columns[position] = Int32(truncatingIfNeeded: entries[position] >> 32) }
                            weighting.unitWeights(
                                length: lengths[item], into: UnsafeMutableBufferPointer(rebasing: values[start..<end])
                            ) { offset in
                                let packed = entries[start + offset]
                                let term = Int(packed >> 32)
                                return (Int32(truncatingIfNeeded: packed & 0xFFFF_FFFF), inverseFrequencies[term], kinds[term])
                            }
                        }
                    }
                }
            }
        }
        do {
            let vectors = try CSRMatrix(
                rowCount: itemCount, columnCount: vocabulary.count, rowOffsets: offsets, columns: columns, values: values)
            return ContentIndex(
                vocabulary: vocabulary, documentFrequencies: documentFrequencies, documentLengths: lengths,
                vectors: vectors)
        } catch {
            throw .invalidTrainingData(kind: .content, reason: "item vectors: \(error)")
        }
    }

    /// Appends the chunks' items in order, mapping their local term ids to global ones.
    private mutating func merge(_ chunks: [TokenizedChunk]) {
        var ids: [ContentTerm: Int32] = [:]
        entries.reserveCapacity(chunks.reduce(0) { $0 + $1.localTerms.count })
        for chunk in chunks {
            let global = chunk.terms.map { term -> Int32 in
                if let id = ids[term] { return id }
                let id = Int32(vocabulary.count)
                ids[term] = id
                vocabulary.append(term)
                documentFrequencies.append(0)
                return id
            }
            for position in chunk.localTerms.indices {
                let term = global[Int(chunk.localTerms[position])]
                entries.append(UInt64(UInt32(bitPattern: term)) << 32 | UInt64(UInt32(bitPattern: chunk.counts[position])))
                documentFrequencies[Int(term)] += 1
            }
            let base = offsets[offsets.count - 1]
            offsets.append(contentsOf: chunk.itemOffsets.dropFirst().map { base + $0 })
            lengths.append(contentsOf: chunk.lengths)
        }
    }

    /// Sorts each item's entries by term id.
    private mutating func sortTerms(threads: Int) {
        let offsets = self.offsets
        entries.withUnsafeMutableBufferPointer { entries in
            parallelFor(count: offsets.count - 1, chunkSize: 1024, maxWorkers: threads) { range, _ in
                for item in range {
                    var terms = UnsafeMutableBufferPointer(rebasing: entries[offsets[item]..<offsets[item + 1]])
                    terms.sort()
                }
            }
        }
    }
}

/// The terms of one contiguous range of items, with term ids local to the range.
private struct TokenizedChunk {
    /// Local id → term, in order of first appearance.
    var terms: [ContentTerm] = []
    /// Offsets into `localTerms` / `counts`, one more than the range's items.
    var itemOffsets: [Int] = [0]
    /// Each item's distinct terms in order of first appearance.
    var localTerms: [Int32] = []
    /// How often each term occurs in its item's document.
    var counts: [Int32] = []
    /// Term count of each item's document.
    var lengths: [Int32] = []

    init() {}

    /// Tokenizes `items`, counting each item's terms in a dense scratch array over the local vocabulary.
    init(_ documents: [ItemDocument?], items: Range<Int>, ignoring ignored: Set<ContentTerm.Kind>) {
        var ids: [ContentTerm: Int32] = [:]
        var scratch: [Int32] = []
        var touched: [Int32] = []
        for item in items {
            if item < documents.count, let document = documents[item] {
                ContentTokenizer.forEachTerm(in: document, skipping: ignored) { term in
                    let id: Int32
                    if let known = ids[term] {
                        id = known
                    } else {
                        id = Int32(terms.count)
                        ids[term] = id
                        terms.append(term)
                        scratch.append(0)
                    }
                    if scratch[Int(id)] == 0 { touched.append(id) }
                    scratch[Int(id)] += 1
                }
            }
            var length: Int32 = 0
            for id in touched {
                localTerms.append(id)
                counts.append(scratch[Int(id)])
                length += scratch[Int(id)]
                scratch[Int(id)] = 0
            }
            touched.removeAll(keepingCapacity: true)
            lengths.append(length)
            itemOffsets.append(localTerms.count)
        }
    }
}
