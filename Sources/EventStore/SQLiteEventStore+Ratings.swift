extension SQLiteEventStore {
    /// Most explicit types one read may name (each is a bound parameter).
    static let ratingTypeLimit = 100

    /// The latest value per (user, item) among stored events whose type is in `types`, for every user or only
    /// `user`. One user's ratings of exactly the configured `explicitTypes` come from memory (a fold-in asks for
    /// them once per history revision); any other read goes through a separate read-only connection, so ingest
    /// goes on meanwhile, and one user's read then scans the events table, which has no index by user.
    package func latestRatings(types: [String], user: Int32?) throws(EventStoreError) -> RatingSnapshot {
        if let user, Set(types) == configuration.explicitTypes {
            let ratings = index.latestRatings(ofUser: user)
            return RatingSnapshot(
                users: [Int32](repeating: user, count: ratings.items.count), items: ratings.items, values: ratings.values)
        }
        let types = Array(Set(types)).sorted().prefix(Self.ratingTypeLimit)
        guard !types.isEmpty else { return RatingSnapshot(users: [], items: [], values: []) }
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let placeholders = types.indices.map { "?\($0 + 1)" }.joined(separator: ", ")
        let userFilter = user == nil ? "" : " AND user = ?\(types.count + 1)"
        let statement = try connection.prepare("""
            SELECT user - 1, item - 1, weight FROM events WHERE type IN (\(placeholders))\(userFilter)
            ORDER BY user, item, timestamp, seq
            """)
        for (offset, type) in types.enumerated() { statement.bind(type, at: Int32(offset + 1)) }
        if let user { statement.bind(Int64(user) + 1, at: Int32(types.count + 1)) }
        var users: [Int32] = [], items: [Int32] = [], values: [Float] = []
        while try statement.step() {
            let rowUser = Int32(statement.int64(at: 0)), rowItem = Int32(statement.int64(at: 1))
            let value = Float(statement.double(at: 2))
            // Rows of a pair arrive oldest first: the last one stands.
            if let lastUser = users.last, lastUser == rowUser, items.last == rowItem {
                values[values.count - 1] = value
                continue
            }
            users.append(rowUser)
            items.append(rowItem)
            values.append(value)
        }
        return RatingSnapshot(users: users, items: items, values: values)
    }
}
