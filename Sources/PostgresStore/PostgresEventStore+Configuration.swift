extension PostgresEventStore {
    /// Everything that can be tuned about a PostgreSQL store, with safe defaults.
    package struct Configuration: Sendable, Hashable {
        /// The database (`postgresql://…`; TLS when its `sslmode` asks for it).
        package var target: PostgresTarget
        /// Connections for reads beside the writer's own (online figures, dashboard, exports), and their timeouts.
        package var pool: PostgresPool.Settings
        /// Longest wait for the server to accept the writer's connection.
        package var connectTimeout: Duration
        /// Longest one statement of the writer may run (a bulk import's `COPY` included); nil: no limit.
        package var statementTimeout: Duration?
        /// How often the change feed looks for events other processes committed (at most 250 ms, so a second
        /// process excludes an event within a second of its commit).
        package var feedInterval: Duration
        /// Most events one group-commit transaction takes from the queue; the rest wait for the next one.
        package var maxEventsPerTransaction: Int
        /// Event types that are explicit ratings (`mf.explicit_types`), as `SQLiteEventStore.Configuration`.
        package var explicitTypes: Set<String>
        /// Event types that count as conversions when attributed to a served list (`online.conversion_types`).
        package var conversionTypes: Set<String>

        /// Creates a configuration for the database at `target`.
        package init(
            target: PostgresTarget,
            pool: PostgresPool.Settings? = nil,
            connectTimeout: Duration = .seconds(5),
            statementTimeout: Duration? = .seconds(300),
            feedInterval: Duration = .milliseconds(100),
            maxEventsPerTransaction: Int = 100_000,
            explicitTypes: Set<String> = ["rating"],
            conversionTypes: Set<String> = ["purchase"]
        ) {
            precondition(maxEventsPerTransaction > 0, "limits must be positive")
            precondition(feedInterval > .zero && feedInterval <= .milliseconds(250), "the feed polls at most every 250 ms")
            self.target = target
            self.pool = pool ?? PostgresPool.Settings(target: target, connectTimeout: connectTimeout)
            self.connectTimeout = connectTimeout
            self.statementTimeout = statementTimeout
            self.feedInterval = feedInterval
            self.maxEventsPerTransaction = maxEventsPerTransaction
            self.explicitTypes = explicitTypes
            self.conversionTypes = conversionTypes
        }
    }
}
