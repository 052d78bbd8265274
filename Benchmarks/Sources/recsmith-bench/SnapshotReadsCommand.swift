import ArgumentParser
import Dispatch
import EventStore
import Foundation
import Locking
import SyntheticData

/// `recsmith-bench snapshot-reads`: how long request-path reads of the store wait while a training pass
/// snapshots it under steady ingest.
///
/// Fills a store with seeded synthetic events, then runs two phases of equal length, each with a writer
/// appending small batches through the group commit and reader threads reading `history(ofUser:)` for users in
/// a scattered order (the read every recommendation makes), one read due every 200 µs per reader: first
/// without snapshots, then with `interactionSnapshot()` taken back to back. Prints the readers' p50, p99,
/// p99.9 and maximum latency, counted from when each read was due, for both phases.
struct SnapshotReadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot-reads",
        abstract: "Read latency (history of a user) during training snapshots of a large store under ingest.")

    @Option(help: "Events in the store before the phases start.") var events: Int = 20_000_000
    @Option(help: "Users of the synthetic events.") var users: Int = 200_000
    @Option(help: "Items of the synthetic events.") var items: Int = 50_000
    @Option(help: "Seconds per phase.") var seconds: Double = 10
    @Option(help: "Reader threads (each sleeps until its next read is due, leaving the cores to the others).")
    var readers: Int = 1
    @Option(help: "Directory for the store (removed afterwards).") var directory: String = NSTemporaryDirectory()

    func validate() throws {
        guard events > 0, users > 0, items > 0, seconds > 0, readers > 0 else {
            throw ValidationError("every count must be positive")
        }
    }

    func run() throws {
        let path = (directory as NSString).appendingPathComponent("recsmith-snapshot-reads-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: path))
        defer { store.close() }
        try fill(store)

        let quiet = measure(store, snapshotting: false)
        let during = measure(store, snapshotting: true)
        let milliseconds = { (value: Double) in String(format: "%.3f", value * 1e3) }
        for (name, phase) in [("without", quiet), ("during", during)] {
            print(
                "snapshot-reads phase=\(name) events=\(store.eventCount) reads=\(phase.reads.seconds.count)",
                "p50_ms=\(milliseconds(phase.reads.median)) p99_ms=\(milliseconds(phase.reads.quantile(0.99)))",
                "p999_ms=\(milliseconds(phase.reads.quantile(0.999)))",
                "max_ms=\(milliseconds(phase.reads.quantile(1)))",
                "snapshots=\(phase.snapshots.seconds.count) snapshot_median_ms=\(milliseconds(phase.snapshots.median))",
                "ingested=\(phase.ingested)")
        }
    }

    /// Appends the synthetic events in bulk transactions of a million.
    private func fill(_ store: any EventStore) throws {
        var batch: [Event] = []
        batch.reserveCapacity(1_000_000)
        try SyntheticEvents(userCount: users, itemCount: items, eventCount: events, seed: 1).forEach { event in
            batch.append(Event(user: "u\(event.user)", item: "i\(event.item)", weight: event.weight, timestamp: event.timestamp))
            if batch.count == 1_000_000 {
                _ = try store.appendBulk(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = try store.appendBulk(batch) }
    }

    private struct Phase {
        var reads = Samples()
        var snapshots = Samples()
        var ingested = 0
    }

    /// One phase: a writer, the readers and (when `snapshotting`) a snapshot loop, all for `seconds`.
    private func measure(_ store: any EventStore, snapshotting: Bool) -> Phase {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let running: @Sendable () -> Bool = { DispatchTime.now().uptimeNanoseconds < deadline }
        let result = Lock(Phase())
        let group = DispatchGroup()
        let userCount = store.userCount
        // Threads of their own: Dispatch's pool runs no more blocks at once than there are cores.
        func spawn(_ body: @escaping @Sendable () -> Void) {
            group.enter()
            Thread {
                body()
                group.leave()
            }.start()
        }
        spawn {
            // Bounded by the deadline: 100-event batches, each waiting for its commit.
            var sent = 0
            var round = 0
            while running() {
                let batch = (0..<100).map { n in
                    Event(user: "writer-\(round % 1000)", item: "i\((round * 100 + n) % items)", weight: 1, timestamp: 1_800_000_000)
                }
                sent += ((try? store.append(batch))?.accepted ?? 0)
                round += 1
            }
            result.withLock { $0.ingested += sent }
        }
        for reader in 0..<readers {
            spawn {
                // Open loop: a read is due every `interval`, and its latency counts from when it was due, so a
                // reader stalled behind a lock is charged for every read it could not start (no coordinated
                // omission: a closed loop would record one slow read per stall).
                let interval: UInt64 = 200_000
                var samples = Samples()
                var user = Int32(reader * 7_919 % userCount)
                var entries = 0
                var due = DispatchTime.now().uptimeNanoseconds
                while running() {
                    let now = DispatchTime.now().uptimeNanoseconds
                    if now < due { usleep(useconds_t((due - now) / 1_000)) }
                    entries += store.history(ofUser: user).items.count
                    samples.record(seconds: Double(DispatchTime.now().uptimeNanoseconds - due) / 1e9)
                    due += interval
                    user = Int32((Int(user) + 7_919) % userCount)
                }
                precondition(entries > 0, "the readers found no history")
                let taken = samples
                result.withLock { $0.reads.append(taken) }
            }
        }
        if snapshotting {
            spawn {
                var samples = Samples()
                while running() { _ = samples.time { store.interactionSnapshot() } }
                let taken = samples
                result.withLock { $0.snapshots.append(taken) }
            }
        }
        group.wait()
        return result.withLock { $0 }
    }
}
