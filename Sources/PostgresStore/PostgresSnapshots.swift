import Dispatch
import EventStore
import Synchronization

/// Model sets kept in the database, so every process of a deployment serves what the elected trainer trained.
///
/// A set is a version row in `snapshots` (from the sequence `snapshots_version`) and its files — the same bytes
/// `SnapshotPersistence` writes to a directory — in `snapshot_chunks`, at most `chunkSize` bytes a row. `publish`
/// writes a set in one transaction, prunes all but the newest `keep` versions and sends
/// `NOTIFY recsmith_snapshots, '<version>'` (delivered at commit, so a listener never sees a version before its
/// rows). `PostgresSnapshotListener` hears it; `download` reads a version back. Both stream: a file is read,
/// sent, received and written one chunk at a time, so neither side holds more than about one chunk of a set
/// in memory, whatever the models' size.
package struct PostgresSnapshots: Sendable {
    /// The database.
    package let target: PostgresTarget
    /// Versions kept after a publication (the one being downloaded while a newer one commits stays readable).
    package let keep: Int
    /// Bytes per `snapshot_chunks` row that `publish` writes (`download` reads rows of any size).
    package let chunkSize: Int
    /// The `NOTIFY` channel.
    package static let channel = "recsmith_snapshots"
    /// The default `chunkSize`, 4 MiB: a fraction of the 1 GB a `bytea` may hold, and small enough that reading
    /// one never needs much memory.
    package static let defaultChunkSize = 4 << 20

    /// Snapshots in the database at `target`, keeping `keep` versions, written in rows of `chunkSize` bytes.
    package init(target: PostgresTarget, keep: Int = 2, chunkSize: Int = PostgresSnapshots.defaultChunkSize) {
        precondition(keep >= 1, "at least the newest version is kept")
        precondition(chunkSize >= 1, "a chunk holds at least one byte")
        self.target = target
        self.keep = keep
        self.chunkSize = chunkSize
    }

    /// Stores the files of pass `pass` as a new version and returns it; each file (`name` in the set, read from
    /// `path`) is read and sent `chunkSize` bytes at a time, in order.
    package func publish(pass: Int, createdAt: Double, files: [(name: String, path: String)]) throws -> Int64 {
        let connection = try PostgresConnection(target: target, connectTimeout: .seconds(5), statementTimeout: nil)
        defer { connection.close() }
        return try connection.inTransaction { () throws(PostgresError) -> Int64 in
            let version = try connection.run(PostgresSchema.nextSnapshotVersion).int64(0, 0)
            try connection.run(PostgresSchema.insertSnapshot, [.int(version), .int(pass), .double(createdAt)])
            for file in files {
                var chunk = 0
                try Self.readChunks(of: file.path, size: chunkSize) { bytes throws(PostgresError) in
                    try connection.run(PostgresSchema.insertSnapshotChunk,
                                       [.int(version), .text(file.name), .int(chunk), .bytes(bytes)])
                    chunk += 1
                }
            }
            try connection.run(PostgresSchema.pruneSnapshots, [.int(keep)])
            try connection.run(PostgresSchema.notifySnapshot, [.text(String(version))])
            return version
        }
    }

    /// The newest stored version (0: none yet).
    package func newestVersion() throws(PostgresError) -> Int64 {
        let connection = try PostgresConnection(target: target, connectTimeout: .seconds(5), statementTimeout: .seconds(30))
        defer { connection.close() }
        return try connection.run(PostgresSchema.newestSnapshot).int64(0, 0)
    }

    /// Reads every file of `version` into `sink`, one chunk (one row) at a time. Throws when the version was pruned
    /// (no files), a chunk is missing, the connection failed, or the sink did; the sink then holds a partial set.
    package func download(version: Int64, into sink: some SnapshotFileSink) throws {
        let connection = try PostgresConnection(target: target, connectTimeout: .seconds(5), statementTimeout: nil)
        defer { connection.close() }
        // One snapshot of the database for every read: a prune committed meanwhile cannot tear the set.
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { connection.rollbackIfNeeded() }
        let listing = try connection.run(PostgresSchema.snapshotFiles, [.int(version)])
        let files = (0..<listing.rowCount).map { (name: listing.text($0, 0), chunks: Int(listing.int64($0, 1))) }
        guard !files.isEmpty else {
            throw PostgresError(kind: .statement, sqlState: nil, message: "model set version \(version) is gone", statement: nil)
        }
        for file in files {
            try sink.startFile(file.name)
            for chunk in 0..<file.chunks {
                let row = try connection.run(PostgresSchema.snapshotChunk, [.int(version), .text(file.name), .int(chunk)],
                                             binaryResult: true)
                guard row.rowCount == 1 else {
                    throw PostgresError(kind: .statement, sqlState: nil, message: "chunk \(chunk) of \(file.name) is missing",
                                        statement: PostgresSchema.snapshotChunk.name)
                }
                try row.withBytes(0, 0) { bytes in try sink.append(bytes) }
            }
            try sink.finishFile()
        }
    }
}

/// Tells a process when a newer model set is in the database: `LISTEN recsmith_snapshots` on a connection of its
/// own, and, in case a notification is lost (the connection broke, the server restarted), a look at the newest
/// version every `pollInterval`. Reconnects with backoff (up to `maxBackoff`) while the database is unreachable.
package final class PostgresSnapshotListener: Sendable {
    // Safe to share: the connection lives on `queue`'s loop only; `newest` and `stopped` are atomic.

    private let target: PostgresTarget
    private let pollInterval: Duration
    private let onVersion: @Sendable (Int64) -> Bool
    private let queue = DispatchQueue(label: "recsmith.postgres.snapshots")
    private let newest: Atomic<Int64>
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private static let maxBackoff: Duration = .seconds(5)

    /// Starts listening; `onVersion` is called (on the listener's thread, one call at a time) with each version
    /// newer than `known` and than every version it loaded before; it returns whether it loaded the version (a
    /// failed one is offered again at the next poll).
    package init(target: PostgresTarget, known: Int64, pollInterval: Duration = .seconds(2),
                 onVersion: @escaping @Sendable (Int64) -> Bool) {
        self.target = target
        self.pollInterval = pollInterval
        self.onVersion = onVersion
        newest = Atomic(known)
        queue.async { self.listen() }
    }

    /// Stops listening; returns once the loop has ended (within about a second).
    package func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        done.wait()
    }

    /// Marks `version` as known (this process published it), so hearing of it calls nothing.
    package func know(_ version: Int64) {
        _ = newest.max(version, ordering: .acquiringAndReleasing)
    }

    private func listen() {
        var connection: PostgresConnection?
        var backoff: Duration = .milliseconds(100)
        var lastPoll = ContinuousClock.now - pollInterval
        while !stopped.load(ordering: .acquiring) {
            do throws(PostgresError) {
                if connection == nil {
                    let opened = try PostgresConnection(
                        target: target, connectTimeout: .seconds(5), statementTimeout: .seconds(30), keepalives: .session)
                    try opened.execute("LISTEN \(PostgresSnapshots.channel)")
                    connection = opened
                    backoff = .milliseconds(100)
                    lastPoll = ContinuousClock.now - pollInterval  // a notification may have been missed meanwhile
                }
                var heard = try connection!.notifications(on: PostgresSnapshots.channel, waitingAtMost: .seconds(1))
                    .compactMap { Int64($0) }
                if ContinuousClock.now - lastPoll >= pollInterval {
                    lastPoll = ContinuousClock.now
                    heard.append(try connection!.run(PostgresSchema.newestSnapshot).int64(0, 0))
                }
                if let version = heard.max(), version > newest.load(ordering: .acquiring), onVersion(version) {
                    _ = newest.max(version, ordering: .acquiringAndReleasing)
                }
            } catch {
                connection?.close()
                connection = nil
                let pause = DispatchSemaphore(value: 0)
                _ = pause.wait(timeout: .now() + backoff.seconds)
                backoff = min(backoff * 2, Self.maxBackoff)
            }
        }
        connection?.close()
        done.signal()
    }
}
