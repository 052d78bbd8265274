import LinearAlgebra
import NeuralLayers

/// A recurrent next-item model (GRU4Rec, Hidasi et al. 2016, with the output tied to the input embeddings): the
/// user's latest `window` items in time order are read as rows of the item table E by a GRU from a zero state;
/// its last state, projected, is the query vector `v`, and item j scores `v · E_j + b_j`.
///
/// The history is the live one (serving passes the times of its items), so an event a second old changes the
/// answer without a pass, and a user the model never saw is scored from their items alike. The score is an inner
/// product with each item's row `[E_j, b_j]`, so it goes through `InnerProductScoring` (one sgemm per block of
/// users, an HNSW index on large catalogues). Similar items are the next-item distribution after that one item.
package struct SequenceGRU: InnerProductScoring {
    /// Always `.sequence`.
    package var kind: ModelKind { .sequence }
    /// Users in the training data.
    package let userCount: Int
    /// Items in the training data.
    package var itemCount: Int { itemFactors.rowCount }
    /// How many of the user's latest items the GRU reads.
    package let window: Int
    /// `[E_j, b_j]` per item: the embedding (the GRU's input and the output row) with the output bias last.
    package let itemFactors: DenseMatrix
    /// The recurrent cell.
    package let cell: GRUWeights
    /// The projection from the GRU's state to the item rows' space: weights (hidden × hidden) and biases.
    package let projectionWeights: DenseMatrix
    package let projectionBias: [Float]

    /// A model over trained layers; `itemFactors` has one column more than the cell's state is wide.
    package init(
        userCount: Int, window: Int, itemFactors: DenseMatrix, cell: GRUWeights, projectionWeights: DenseMatrix,
        projectionBias: [Float]
    ) {
        let hidden = cell.hiddenWidth
        precondition(window >= 1 && cell.inputWidth == hidden, "the cell reads the item embeddings")
        precondition(itemFactors.columnCount == hidden + 1, "item rows hold the embedding plus the bias")
        precondition(projectionWeights.rowCount == hidden && projectionWeights.columnCount == hidden
                     && projectionBias.count == hidden, "the projection maps the state to the embedding width")
        self.userCount = userCount
        self.window = window
        self.itemFactors = itemFactors
        self.cell = cell
        self.projectionWeights = projectionWeights
        self.projectionBias = projectionBias
        BLAS.useSingleThread()
    }

    /// Width of the embeddings and of the state.
    package var hidden: Int { cell.hiddenWidth }

    /// `[v, 1]` from the query's latest `window` known items (ordered by `lastSeen`; in history order when the
    /// query has no times); false when no history item is known to the model.
    package func userVector(for query: UserQuery, into vector: UnsafeMutableBufferPointer<Float>) -> Bool {
        let items = latestItems(of: query)
        guard !items.isEmpty else { return false }
        let hidden = hidden, rowWidth = hidden + 1
        withUnsafeTemporaryAllocation(of: Float.self, capacity: hidden) { state in
            itemFactors.withUnsafeBufferPointer { rows in
                cell.run(steps: items.count, input: { UnsafePointer(rows.baseAddress! + Int(items[$0]) * rowWidth) },
                         into: state.baseAddress!)
            }
            _ = vector.update(fromContentsOf: projectionBias)
            projectionWeights.withUnsafeBufferPointer { weights in
                BLAS.gemv(.transpose, rows: hidden, columns: hidden, alpha: 1, a: weights.baseAddress!, lda: hidden,
                          x: state.baseAddress!, beta: 1, y: vector.baseAddress!)
            }
        }
        vector[hidden] = 1
        return true
    }

    /// The query's known items, earliest first, at most the latest `window` of them.
    package func latestItems(of query: UserQuery) -> [Int32] {
        var known = query.history.indices.filter { query.history[$0] >= 0 && Int(query.history[$0]) < itemCount }
        if let times = query.lastSeen {
            // Equal times keep the history's order (the store lists a user's items in index order), as markov does.
            known.sort { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
        }
        return known.suffix(window).map { query.history[$0] }
    }

    /// The items most likely to come right after `item` alone, best first, never `item`.
    package func similarItems(to item: Int32, count: Int, allowed: BitSet?) -> [ScoredItem]? {
        guard item >= 0, Int(item) < itemCount, count > 0 else { return [] }
        var scores = [Float](repeating: 0, count: itemCount)
        scores.withUnsafeMutableBufferPointer { buffer in
            _ = score(UserQuery(user: nil, history: [item], weights: [1]), into: buffer)
            buffer[Int(item)] = -.infinity
            allowed?.maskOthers(in: buffer)
        }
        return scores.withUnsafeBufferPointer { TopK.select($0, count: count).map(ScoredItem.init) }
    }
}
