import LinearAlgebra

extension MF {
    /// The vector `[b_u, p_u…]` of a user the model was not trained on, from their ratings (`items` with
    /// `ratings`, same count): the ridge solve of `Σ_i (r_i − μ − b_i − [1, q_i]·x)² + λ‖x‖²` over the items
    /// the model knows, item biases and factors fixed (one ALS half-step). Nil when no rated item is known.
    package func foldIn(items: [Int32], ratings: [Float]) -> [Float]? {
        precondition(items.count == ratings.count, "items and ratings must have the same count")
        let known = items.indices.filter { knows(item: items[$0]) }
        guard !known.isEmpty else { return nil }
        let width = factors + 1
        let solver = RidgeSolver(width: width, capacity: known.count)
        itemFactors.withUnsafeBufferPointer { source in
            for (entry, index) in known.enumerated() {
                let item = Int(items[index])
                let row = solver.rows + entry * width
                row[0] = 1
                if factors > 0 { (row + 1).update(from: source.baseAddress! + item * factors, count: factors) }
                solver.targets[entry] = ratings[index] - globalMean - itemBiases[item]
            }
        }
        var vector = [Float](repeating: 0, count: width)
        let solved = vector.withUnsafeMutableBufferPointer {
            solver.solve(count: known.count, regularization: foldInRegularization, into: $0.baseAddress!)
        }
        return solved ? vector : nil
    }
}
