extension SQLiteEventStore {
    /// Most explicit types one read may name (each is a bound parameter).
    static let ratingTypeLimit = 100

    /// The latest value per (user, item) among stored events whose type is in `types`, for every user or only
    /// `user`. One user's ratings of exactly the configured `explicitTypes` come from memory (a fold-in asks for
    /// them once per history revision); any other read goes through a separate read-only connection, so ingest
    /// goes on meanwhile, and one user's read then scans the events table, which has no index by user.
    package func latestRatings(types: [String], user: Int32?) throws(EventStoreError) -> RatingSnapshot {
        if let user, Set(types) == configuration.explicitTypes {
            return RatingSnapshot(user: user, index.latestRatings(ofUser: user))
        }
        let types = RatingSnapshot.queryTypes(types, limit: Self.ratingTypeLimit)
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
        var ratings = RatingSnapshot.Builder()
        while try statement.step() {
            ratings.add(user: Int32(statement.int64(at: 0)), item: Int32(statement.int64(at: 1)), value: Float(statement.double(at: 2)))
        }
        return ratings.snapshot
    }
}
