extension SQLiteEventStore {
    /// How durable a commit is once `append` reports success.
    package enum Durability: Sendable, Hashable {
        /// `PRAGMA synchronous=FULL`: the WAL is fsynced at every commit, so an acknowledged event survives
        /// a process crash and a power loss.
        case full
        /// `PRAGMA synchronous=NORMAL`: faster; an acknowledged event survives a process crash (`kill -9`)
        /// but the last commits may be lost on power loss or an operating-system crash.
        case normal
    }

    /// Everything that can be tuned about a store, with safe defaults.
    package struct Configuration: Sendable, Hashable {
        /// Path of the SQLite file (created if missing, unless `readOnly`).
        package var path: String
        /// Commit durability; `full` by default.
        package var durability: Durability
        /// How long a statement waits for another connection's lock before failing with `busy`, in milliseconds.
        package var busyTimeoutMilliseconds: Int
        /// SQLite page cache size, in KiB.
        package var cacheSizeKiB: Int
        /// Caps the file at this many pages (of 4 KiB by default); writes past it fail with `diskFull`.
        /// Nil means no cap beyond the disk's.
        package var maxPageCount: Int?
        /// Opens the file read-only: reads and backups work, appends fail with `readOnly`.
        package var readOnly: Bool
        /// Most events one group-commit transaction takes from the queue; the rest wait for the next one.
        package var maxEventsPerTransaction: Int
        /// Pages copied per step of an online backup; writes are served between steps. A `readOnly` store copies
        /// in one step, since another connection's commit restarts a step-wise copy.
        package var backupPagesPerStep: Int
        /// Event types that are explicit ratings (`mf.explicit_types`): the latest value of each user's rated items
        /// is kept in memory (16 bytes per rated pair, about 10% more CPU for a bulk import of ratings, nothing for
        /// other events), so one user's `latestRatings` for exactly these types reads no table. The events table has
        /// no index by user: one cut a bare 1,000-row-commit insert loop from about 215,000 to 59,000 events/s, and a
        /// partial one on rating events alike for stores of ratings. Default `rating`.
        package var explicitTypes: Set<String>
        /// Event types that count as conversions when attributed to a served list (`online.conversion_types`):
        /// a list converts when one of them is attributed to it. Default `purchase`.
        package var conversionTypes: Set<String>
        /// Events read per chunk while the opening store rebuilds its in-memory index: each chunk is grouped by
        /// user on another core while the next is read. Default 1,048,576; tests make it small.
        package var loadChunkSize = 1 << 20

        /// Creates a configuration for the store at `path`.
        package init(
            path: String,
            durability: Durability = .full,
            busyTimeoutMilliseconds: Int = 5_000,
            cacheSizeKiB: Int = 32_768,
            maxPageCount: Int? = nil,
            readOnly: Bool = false,
            maxEventsPerTransaction: Int = 100_000,
            backupPagesPerStep: Int = 256,
            explicitTypes: Set<String> = ["rating"],
            conversionTypes: Set<String> = ["purchase"]
        ) {
            precondition(maxEventsPerTransaction > 0 && backupPagesPerStep > 0, "limits must be positive")
            self.path = path
            self.durability = durability
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.cacheSizeKiB = cacheSizeKiB
            self.maxPageCount = maxPageCount
            self.readOnly = readOnly
            self.maxEventsPerTransaction = maxEventsPerTransaction
            self.backupPagesPerStep = backupPagesPerStep
            self.explicitTypes = explicitTypes
            self.conversionTypes = conversionTypes
        }
    }
}
