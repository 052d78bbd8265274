extension RatingSet {
    /// The §7 fingerprints of every fold (docs/EVALUATION.md §9): for fold `f`, the SHA-256 of `<user>\t<item>\n`
    /// over its train pairs (every other fold) and over its test pairs, each in `(user, item)` byte order.
    /// `assignments` holds each pair's fold.
    func foldFingerprints(assignments: [Int], folds: Int) -> [SplitFingerprints] {
        let order = ByteOrder.positions(sortedBy: users, items)
        return (0..<folds).map { fold in
            var train = PairHasher(), test = PairHasher()
            for pair in order {
                if assignments[pair] == fold {
                    test.add(user: users[pair], item: items[pair])
                } else {
                    train.add(user: users[pair], item: items[pair])
                }
            }
            return SplitFingerprints(train: train.finish(), test: test.finish())
        }
    }
}
