import LinearAlgebra
import Models

extension EvaluationSplit {
    /// Hashes the train and test pairs, and under strong generalization the input pairs. Dense indices are in
    /// byte order and CSR rows are sorted, so walking the matrices row by row visits the pairs in the required
    /// order (held-out users are in byte order too).
    package func fingerprints() -> SplitFingerprints {
        let matrix = training.interactions
        var train = PairHasher()
        for row in 0..<matrix.rowCount {
            for entry in matrix.entryRange(ofRow: row) {
                train.add(user: userIDs[row], item: itemIDs[Int(matrix.columns[entry])])
            }
        }
        var test = PairHasher()
        for position in testUsers.indices {
            let user = testUserID(atTestUser: position)
            for item in testItems(atTestUser: position) {
                test.add(user: user, item: itemIDs[Int(item)])
            }
        }
        var input: String?
        if let heldOut {
            var hasher = PairHasher()
            for (row, user) in heldOut.ids.enumerated() {
                for entry in heldOut.input.entryRange(ofRow: row) {
                    hasher.add(user: user, item: itemIDs[Int(heldOut.input.columns[entry])])
                }
            }
            input = hasher.finish()
        }
        return SplitFingerprints(train: train.finish(), test: test.finish(), input: input)
    }
}
