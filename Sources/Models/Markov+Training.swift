import LinearAlgebra

extension Markov {
    /// Counts, for every user, each pair of consecutive items in their history ordered by time (`lastSeen`, the
    /// latest event of each pair; equal times in item order), and each item's share of users for the prior.
    /// Deterministic.
    package static func fit(_ data: TrainingData, parameters: MarkovParameters = .init()) throws(ModelError) -> Markov {
        try parameters.validate()
        let matrix = data.interactions
        guard matrix.nonzeroCount > 0, matrix.rowCount > 0, matrix.columnCount > 0 else {
            throw .emptyTrainingData(kind: .markov)
        }
        guard data.lastSeen.count == matrix.nonzeroCount else {
            throw .invalidTrainingData(kind: .markov, reason: "needs one timestamp per stored pair to order histories")
        }
        var from: [Int32] = [], to: [Int32] = []
        from.reserveCapacity(matrix.nonzeroCount)
        to.reserveCapacity(matrix.nonzeroCount)
        let sequences = UserSequences(data)
        for user in 0..<sequences.userCount {
            let items = sequences.items(ofUser: user)
            for (previous, next) in zip(items, items.dropFirst()) {
                from.append(previous)
                to.append(next)
            }
        }
        let transitions: CSRMatrix
        do {
            transitions = try CSRMatrix(
                rowCount: matrix.columnCount, columnCount: matrix.columnCount, rows: from, columns: to,
                values: [Float](repeating: 1, count: from.count))
        } catch {
            throw .invalidTrainingData(kind: .markov, reason: error.description)
        }
        let users = matrix.columnNonzeroCounts()
        let total = Float(matrix.nonzeroCount)
        return Markov(
            userCount: matrix.rowCount, transitions: transitions, prior: users.map { Float($0) / total },
            parameters: parameters)
    }
}
