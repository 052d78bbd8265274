import Foundation
import Locking
import PostgresStore
import TestSupport
import Testing

/// Model sets through the database, and the election of one trainer.
@Suite(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresSnapshotsTests {
    @Test func aPublishedSetStreamsBackByteForByteOneChunkAtATimeAndOnlyTheNewestTwoAreKept() throws {
        let shared = try SharedDatabase()
        try shared.open().close()  // migrates the schema
        let chunkSize = 1_000
        let snapshots = PostgresSnapshots(target: shared.target, chunkSize: chunkSize)
        // Many chunks and not a multiple of one; every byte value, so nothing is escaped on the way.
        let large = (0..<(chunkSize * 25 + 345)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let small: [UInt8] = [0, 1, 92, 39, 255]
        let exact = [UInt8](repeating: 7, count: chunkSize * 2)
        let files = try FileFixture(["large.model": large, "manifest.json": small, "empty": [], "exact.hnsw": exact])
        var versions: [Int64] = []
        for pass in 1...3 {
            versions.append(try snapshots.publish(pass: pass, createdAt: 1_000, files: files.entries))
        }
        #expect(try shared.database.execute("""
            SELECT file, count(*), max(length(data)) FROM snapshot_chunks WHERE version = \(versions[2]) GROUP BY file ORDER BY file
            """) == [["empty", "1", "0"], ["exact.hnsw", "2", "1000"], ["large.model", "26", "1000"], ["manifest.json", "1", "5"]],
            "publish wrote each file in chunk-size rows")
        #expect(try snapshots.newestVersion() == versions[2])
        let sink = CollectingSink()
        try snapshots.download(version: versions[2], into: sink)
        #expect(sink.files == ["empty": [], "exact.hnsw": exact, "large.model": large, "manifest.json": small])
        #expect(sink.appends["large.model"] == 26 && sink.largestAppend == chunkSize, "the sink got one chunk at a time")
        #expect(throws: (any Error).self, "pruned") { try snapshots.download(version: versions[0], into: CollectingSink()) }
        #expect(try shared.database.execute("SELECT count(*) FROM snapshots") == [["2"]])
    }

    @Test func aTornVersionThrowsPartWayThrough() throws {
        let shared = try SharedDatabase()
        try shared.open().close()
        let snapshots = PostgresSnapshots(target: shared.target, chunkSize: 100)
        let files = try FileFixture(["a.model": [UInt8](repeating: 1, count: 1_000), "manifest.json": [2]])
        let version = try snapshots.publish(pass: 1, createdAt: 1, files: files.entries)
        _ = try shared.database.execute("DELETE FROM snapshot_chunks WHERE version = \(version) AND file = 'a.model' AND chunk = 4")
        let sink = CollectingSink()
        #expect(throws: (any Error).self) { try snapshots.download(version: version, into: sink) }
        #expect(sink.finished.isEmpty, "the torn file was never finished")
    }

    @Test func theListenerHearsANewVersionAndOneOfTwoCandidatesLeadsUntilItStops() throws {
        let shared = try SharedDatabase()
        try shared.open().close()
        let heard = Lock<[Int64]>([])
        let listener = PostgresSnapshotListener(target: shared.target, known: 0, pollInterval: .seconds(30)) { version in
            heard.withLock { $0.append(version) }
            return true
        }
        defer { listener.stop() }
        let snapshots = PostgresSnapshots(target: shared.target)
        // The first version is found by the look the listener takes when it connects (or by NOTIFY, if connected).
        let (one, two) = (try FileFixture(["manifest.json": [1]]), try FileFixture(["manifest.json": [2]]))
        let first = try snapshots.publish(pass: 1, createdAt: 1, files: one.entries)
        #expect(waitUntil(.seconds(5)) { heard.withLock { $0 } == [first] } != nil)
        // Connected now, with the next poll 30 s away: only the notification can bring the second in time.
        let second = try snapshots.publish(pass: 2, createdAt: 2, files: two.entries)
        #expect(waitUntil(.seconds(3)) { heard.withLock { $0 } == [first, second] } != nil, "heard through NOTIFY")

        let (leaderTold, standbyTold) = (Lock(false), Lock(false))
        let leader = PostgresLeaderElection(target: shared.target, retryInterval: .milliseconds(200)) { leads in
            leaderTold.withLock { $0 = leads }
        }
        #expect(waitUntil(.seconds(5)) { leader.isLeader } != nil)
        let standby = PostgresLeaderElection(target: shared.target, retryInterval: .milliseconds(200)) { leads in
            standbyTold.withLock { $0 = leads }
        }
        defer { standby.stop() }
        #expect(waitUntil(.seconds(1)) { standby.isLeader } == nil, "one leader at a time")
        leader.stop()
        #expect(!leader.isLeader && !leaderTold.withLock { $0 })
        #expect(waitUntil(.seconds(5)) { standby.isLeader && standbyTold.withLock { $0 } } != nil, "the standby takes over")
    }

    @Test func aLoneCandidateLeadsBeforeItsInitializerReturns() throws {
        let shared = try SharedDatabase()
        try shared.open().close()
        let told = Lock(false)
        // A retry interval far beyond the test: only the first attempt, made inside the initializer, can win.
        let election = PostgresLeaderElection(target: shared.target, retryInterval: .seconds(60)) { leads in
            told.withLock { $0 = leads }
        }
        defer { election.stop() }
        #expect(election.isLeader && told.withLock { $0 }, "a server's first POST /retrain must not find it a standby")
    }
}

/// Files written to a temporary directory for `publish`, removed with the fixture.
private final class FileFixture {
    let directory: String
    /// Name and path of each file, in name order.
    let entries: [(name: String, path: String)]

    init(_ files: [String: [UInt8]]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-snapshots-\(UUID().uuidString)").path
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        entries = try files.keys.sorted().map { name in
            let path = directory + "/" + name
            try Data(files[name]!).write(to: URL(fileURLWithPath: path))
            return (name, path)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// A sink that keeps what a download gave it, and how.
private final class CollectingSink: SnapshotFileSink {
    var files: [String: [UInt8]] = [:]
    var appends: [String: Int] = [:]
    var finished: [String] = []
    var largestAppend = 0
    private var current: String?

    func startFile(_ name: String) throws {
        current = name
        files[name] = []
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        files[current!]!.append(contentsOf: bytes)
        appends[current!, default: 0] += 1
        largestAppend = max(largestAppend, bytes.count)
    }

    func finishFile() throws {
        finished.append(current!)
        current = nil
    }
}
