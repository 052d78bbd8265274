import LinearAlgebra

/// Every user's items in time order: the pairs of a row of the training matrix sorted by `lastSeen` (the latest
/// event of each pair), equal times in item order. What `markov` counts transitions over and `sequence` learns
/// from; deterministic.
struct UserSequences {
    /// `userCount + 1` offsets into `items`.
    let offsets: [Int]
    /// Item indices, user after user, each user's in time order.
    let items: [Int32]

    /// The sequences of `data` (one timestamp per stored pair, which the caller checked).
    init(_ data: TrainingData) {
        let matrix = data.interactions, times = data.lastSeen
        var items: [Int32] = [], offsets = [0], order: [Int] = []
        items.reserveCapacity(matrix.nonzeroCount)
        offsets.reserveCapacity(matrix.rowCount + 1)
        for user in 0..<matrix.rowCount {
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: matrix.entryRange(ofRow: user))
            // Entries of a row are in item order, so the entry index breaks ties on time by item.
            order.sort { times[$0] != times[$1] ? times[$0] < times[$1] : $0 < $1 }
            for entry in order { items.append(matrix.columns[entry]) }
            offsets.append(items.count)
        }
        self.offsets = offsets
        self.items = items
    }

    /// Number of users.
    var userCount: Int { offsets.count - 1 }

    /// The items of `user`, earliest first.
    func items(ofUser user: Int) -> ArraySlice<Int32> { items[offsets[user]..<offsets[user + 1]] }
}
