import EventFormats

/// The explicit ratings of an event file for `--task rating` (docs/EVALUATION.md §9): one rating per
/// `(user, item)`, the row with the largest timestamp (ties: the last in file order), its `weight` the rating.
package struct RatingSet: Sendable {
    /// The user id of each rating, as in the file.
    package let users: [String]
    /// The item id of each rating, as in the file.
    package let items: [String]
    /// The rating of each pair.
    package let ratings: [Float]

    /// Number of rated pairs.
    package var count: Int { ratings.count }

    /// Ratings given directly, one per pair (same counts).
    package init(users: [String], items: [String], ratings: [Float]) {
        precondition(users.count == items.count && items.count == ratings.count, "one user and item per rating")
        self.users = users
        self.items = items
        self.ratings = ratings
    }

    /// Reads an event CSV file whose rows all carry a `weight` (the rating).
    package static func load(path: String) throws(EvaluationError) -> RatingSet {
        var rows: [EventRow] = []
        do {
            let reader = try EventCSVReader(path: path)
            while let row = try reader.next() { rows.append(row) }
        } catch {
            throw .input(error)
        }
        return try RatingSet(rows: rows)
    }

    /// Builds the set from rows, keeping the latest row per pair; a row without a weight throws.
    package init(rows: some Sequence<EventRow>) throws(EvaluationError) {
        var index: [PairKey: Int] = [:]
        var users: [String] = [], items: [String] = [], ratings: [Float] = [], times: [Double] = []
        for row in rows {
            guard let weight = row.weight else { throw .ratingsRequired(line: row.line) }
            let key = PairKey(user: ExactID(row.user), item: ExactID(row.item))
            if let existing = index[key] {
                // Later rows win ties: file order is the order of arrival.
                if row.timestamp >= times[existing] {
                    ratings[existing] = Float(weight)
                    times[existing] = row.timestamp
                }
                continue
            }
            index[key] = ratings.count
            users.append(row.user)
            items.append(row.item)
            ratings.append(Float(weight))
            times.append(row.timestamp)
        }
        self.init(users: users, items: items, ratings: ratings)
    }

    private struct PairKey: Hashable {
        let user: ExactID
        let item: ExactID
    }
}
