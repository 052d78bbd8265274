import EventStore
import Foundation
import Locking
import OnlineLoop
import Testing

/// The served-list log: remembers every list below the sampling rate and every n-th above it (weighted by n),
/// drops lists beyond its memory cap without waiting, and flushes into the store where events can be attributed.
struct ServedListLogTests {
    private static let now = 1_800_000_000.0

    private static func list(_ id: String, at time: Double = now, items: [String] = ["x", "y"]) -> ServedList {
        ServedList(id: id, servedAt: time, expiresAt: 0, user: "u", model: "als", version: "v1", items: items)
    }

    private static func store(in directory: String) throws -> SQLiteEventStore {
        let store = try SQLiteEventStore(path: directory + "/store.sqlite")
        _ = try store.append([Event(user: "seed", item: "x", timestamp: now - 60), Event(user: "seed", item: "y", timestamp: now - 60)])
        return store
    }

    private static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-log-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func flushedListsAttributeLaterEvents() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(in: directory)
        defer { store.close() }
        let log = ServedListLog(store: store, settings: .init(retention: 3600), clock: { Self.now })
        log.record(Self.list("L1"))
        log.flush()
        let result = try store.append([Event(user: "u", item: "y", timestamp: Self.now, recommendationID: "L1")])
        #expect(result.attributions.map(\.position) == [1])
        let counts = try store.onlineCounts(servedFrom: Self.now - 60, to: Self.now + 60)
        #expect(counts.groups.first?.lists == 1)
    }

    @Test func samplesAboveTheRateAndWeighsWhatItKeeps() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(in: directory)
        defer { store.close() }
        let log = ServedListLog(store: store, settings: .init(rememberPerSecond: 10), clock: { Self.now })
        // 40 lists in one second: 10 at step 1, then the step doubles every 10 kept: 10 at step 2, 3 at step 4.
        for index in 0..<40 { log.record(Self.list("a\(index)", at: Self.now)) }
        #expect(log.statistics.remembered == 23)
        #expect(log.statistics.samplingStep == 4)
        // 40 in the next second start at step 4 (last second's rate over the limit): every 4th, weighted 4.
        for index in 0..<40 { log.record(Self.list("b\(index)", at: Self.now + 1)) }
        #expect(log.statistics.served == 80)
        #expect(log.statistics.remembered == 33)
        log.flush()
        _ = try store.append([])
        let group = try #require(try store.onlineCounts(servedFrom: Self.now - 60, to: Self.now + 60).groups.first)
        #expect(group.lists == 33)
        #expect(group.servedLists == 82, "10 × 1 + 10 × 2 + 3 × 4 for 40 served (within a step), then 10 × 4")
    }

    @Test func aBurstAfterAQuietSecondIsSampledWithinTheSecond() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(in: directory)
        defer { store.close() }
        let log = ServedListLog(store: store, settings: .init(rememberPerSecond: 100), clock: { Self.now })
        for index in 0..<50_000 { log.record(Self.list("burst\(index)", at: Self.now)) }
        let statistics = log.statistics
        // 100 lists at each step 1, 2, 4, … until the step passes the burst: about 100 × log2(50,000 / 100).
        #expect(statistics.remembered <= 1_000)
        log.flush()
        _ = try store.append([])
        let group = try #require(try store.onlineCounts(servedFrom: Self.now - 60, to: Self.now + 60).groups.first)
        #expect(group.lists == statistics.remembered)
        #expect(abs(group.servedLists - 50_000) <= 512, "the weights add up to the lists served, within one step")
    }

    @Test func dropsListsBeyondItsMemoryCapWithoutWaiting() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(in: directory)
        defer { store.close() }
        let log = ServedListLog(store: store, settings: .init(memoryLimit: 64 << 10, rememberPerSecond: 10_000_000), clock: { Self.now })
        let items = (0..<100).map { "item-\($0)" }
        for index in 0..<10_000 { log.record(Self.list("d\(index)", items: items)) }
        let statistics = log.statistics
        #expect(statistics.bufferedBytes <= 64 << 10)
        #expect(statistics.dropped > 9_000)
        #expect(statistics.remembered + statistics.dropped == 10_000)
        log.flush()
        #expect(log.statistics.bufferedBytes == 0)
        log.record(Self.list("after"))
        #expect(log.statistics.remembered == statistics.remembered + 1, "room again once flushed")
    }

    @Test func staysBoundedWhileThreadsServeAndTheTimerFlushes() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try Self.store(in: directory)
        defer { store.close() }
        let settings = ServedListLog.Settings(memoryLimit: 256 << 10, rememberPerSecond: 10_000_000, flushInterval: 0.01)
        let log = ServedListLog(store: store, settings: settings, clock: { Date().timeIntervalSince1970 })
        log.start()
        let largest = Lock(0)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for index in 0..<5_000 {
                log.record(Self.list("t\(thread)-\(index)", at: Date().timeIntervalSince1970))
                let buffered = log.statistics.bufferedBytes
                largest.withLock { $0 = max($0, buffered) }
            }
        }
        log.stop()
        let statistics = log.statistics
        #expect(largest.withLock { $0 } <= 256 << 10)
        #expect(statistics.served == 20_000)
        #expect(statistics.remembered + statistics.dropped == 20_000)
        _ = try store.append([])
        let counts = try store.onlineCounts(servedFrom: 0, to: Date().timeIntervalSince1970 + 60)
        #expect(counts.groups.reduce(0) { $0 + $1.lists } == statistics.remembered, "every remembered list reached the store")
    }
}
