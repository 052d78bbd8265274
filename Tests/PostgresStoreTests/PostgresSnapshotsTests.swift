import Locking
import PostgresStore
import TestSupport
import Testing

/// Model sets through the database, and the election of one trainer.
@Suite(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresSnapshotsTests {
    @Test func aPublishedSetComesBackByteForByteAcrossChunksAndOnlyTheNewestTwoAreKept() throws {
        let shared = try SharedDatabase()
        try shared.open().close()  // migrates the schema
        let snapshots = PostgresSnapshots(target: shared.target)
        // Larger than one chunk and not a multiple of it; every byte value, so nothing is escaped on the way.
        let large = (0..<(PostgresSnapshots.chunkSize * 2 + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let small: [UInt8] = [0, 1, 92, 39, 255]
        var versions: [Int64] = []
        for pass in 1...3 {
            versions.append(try snapshots.publish(pass: pass, createdAt: 1_000, files: [
                (name: "als-\(pass).model", read: { large }), (name: "manifest.json", read: { small }), (name: "empty", read: { [] }),
            ]))
        }
        #expect(try snapshots.newestVersion() == versions[2])
        var files: [String: [UInt8]] = [:]
        try snapshots.download(version: versions[2]) { name, bytes in files[name] = bytes }
        #expect(files == ["als-3.model": large, "manifest.json": small, "empty": []])
        #expect(throws: (any Error).self, "pruned") { try snapshots.download(version: versions[0]) { _, _ in } }
        #expect(try shared.database.execute("SELECT count(*) FROM snapshots") == [["2"]])
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
        let first = try snapshots.publish(pass: 1, createdAt: 1, files: [(name: "manifest.json", read: { [1] })])
        #expect(waitUntil(.seconds(5)) { heard.withLock { $0 } == [first] } != nil)
        // Connected now, with the next poll 30 s away: only the notification can bring the second in time.
        let second = try snapshots.publish(pass: 2, createdAt: 2, files: [(name: "manifest.json", read: { [2] })])
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
