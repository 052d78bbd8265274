import EventStore

extension PostgresEventStore {
    /// Most explicit types one read may name.
    static let ratingTypeLimit = 100

    /// The latest value per (user, item) among stored events whose type is in `types`, for every user or only
    /// `user`. As in SQLite, one user's ratings of exactly the configured `explicitTypes` come from memory; any
    /// other read goes to the database on a pooled connection.
    package func latestRatings(types: [String], user: Int32?) throws(EventStoreError) -> RatingSnapshot {
        if let user, Set(types) == configuration.explicitTypes {
            return RatingSnapshot(user: user, index.latestRatings(ofUser: user))
        }
        let types = RatingSnapshot.queryTypes(types, limit: Self.ratingTypeLimit)
        guard !types.isEmpty else { return RatingSnapshot(users: [], items: [], values: []) }
        return try withReadConnection { connection throws(PostgresError) in
            // -1 stands for every user (indices are never negative).
            let rows = try connection.run(PostgresStatement("latest_ratings", """
                SELECT user_id - 1, item_id - 1, weight FROM events
                WHERE type = ANY($1::text[]) AND ($2 = -1 OR user_id = $2 + 1)
                ORDER BY user_id, item_id, ts, seq
                """), [.array(types.map { Optional($0) }), .int(Int64(user ?? -1))])
            var ratings = RatingSnapshot.Builder()
            for row in 0..<rows.rowCount {
                ratings.add(user: Int32(rows.int64(row, 0)), item: Int32(rows.int64(row, 1)), value: Float(rows.double(row, 2)))
            }
            return ratings.snapshot
        }
    }
}
