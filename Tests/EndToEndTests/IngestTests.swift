import Dispatch
import Foundation
import Glibc
import Locking
import Synchronization
import Testing
import TestSupport

private let ndjsonHeaders = [("Content-Type", "application/x-ndjson")]

/// NDJSON for events with the ids `ids`; an id always stands for the same user and item.
private func ndjson(ids: [String]) -> [UInt8] {
    var text = ""
    for id in ids {
        let hash = id.utf8.reduce(0) { ($0 &* 31 &+ Int($1)) & 0xFFFF }
        text += #"{"user":"u\#(hash % 41)","item":"i\#(hash % 113)","id":"\#(id)"}"# + "\n"
    }
    return Array(text.utf8)
}

/// The `id` column of `recsmith export` CSV (`user,item,timestamp,weight,type,id,recommendation_id`), one entry per row.
private func exportedIDs(store: [String], into csv: String) throws -> [String] {
    let exported = try runRecsmith(["export"] + store + ["--output", csv])
    #expect(exported.status == 0, "\(exported.error)")
    let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst()
    return rows.map { row in
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        return fields.count >= 2 ? String(fields[fields.count - 2]) : ""
    }
}

/// A small seeded generator, so a failing run can be repeated.
private struct SplitMix64 {
    var state: UInt64

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

@Suite(.serialized)
struct IngestTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-ingest-\(UUID().uuidString)")

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @Test func concurrentClientsWithOverlappingIDsStoreEachEventOnce() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        let port = server.port
        struct Totals {
            var sent: [String] = []
            var accepted = 0
            var duplicates = 0
            var failures: [String] = []
        }
        let totals = Lock(Totals())
        let clients = DispatchGroup()
        // Bounded: 6 clients × 40 requests of 1 to 200 events, ids drawn from a pool of 1,500 so that
        // requests overlap each other (and sometimes themselves).
        for client in 0..<6 {
            clients.enter()
            DispatchQueue.global().async {
                defer { clients.leave() }
                guard let connection = try? TestClient(port: port, timeoutSeconds: 30) else {
                    totals.withLock { $0.failures.append("client \(client) cannot connect") }
                    return
                }
                var random = SplitMix64(state: UInt64(client + 1))
                for step in 0..<40 {
                    let size = [1, 5, 50, 200, 17][(step + client) % 5]
                    let ids = (0..<size).map { _ in "e\(random.next(below: 1500))" }
                    guard let response = connection.request("POST", "/events", headers: ndjsonHeaders, body: ndjson(ids: ids)),
                          response.status == 200,
                          let accepted = json(response)["accepted"] as? Int, let duplicates = json(response)["duplicates"] as? Int
                    else {
                        totals.withLock { $0.failures.append("client \(client) step \(step): no 200") }
                        return
                    }
                    totals.withLock {
                        $0.sent += ids
                        $0.accepted += accepted
                        $0.duplicates += duplicates
                    }
                }
            }
        }
        #expect(clients.wait(timeout: .now() + .seconds(120)) == .success, "clients finished in time")
        let result = totals.withLock { $0 }
        #expect(result.failures.isEmpty, "\(result.failures.prefix(3))")
        let distinct = Set(result.sent)
        #expect(result.sent.count > distinct.count, "the ids overlapped")
        #expect(result.accepted == distinct.count)
        #expect(result.accepted + result.duplicates == result.sent.count)

        let again = json(try server.client().request("POST", "/events", headers: ndjsonHeaders, body: ndjson(ids: distinct.sorted())))
        #expect(again["accepted"] as? Int == 0)
        #expect(again["duplicates"] as? Int == distinct.count)
        #expect(server.terminate() == 0)
        let stored = try exportedIDs(store: server.storeArguments, into: path("stored.csv"))
        #expect(stored.count == distinct.count)
        #expect(Set(stored) == distinct)
    }

    @Test(EndToEndStore.sqliteOnly("recsmith backup copies the SQLite file"))
    func backupWhileIngestingHoldsAPrefixOfTheAcknowledgedBatches() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        let database = server.directory.appendingPathComponent("store.sqlite").path
        // ~14 MB: large enough that a copy made in 256-page steps, restarted by every commit, never finishes
        // under the writers below (it did before `recsmith backup` copied in one step).
        let seed = try server.client()
        for batch in 0..<200 {
            let response = seed.request("POST", "/events", headers: ndjsonHeaders,
                                        body: ndjson(ids: (0..<1000).map { "seed-\(batch)-\($0)" }))
            #expect(response?.status == 200)
        }

        let port = server.port
        let writers = 3
        // Per writer, its acknowledged batches in order: batch `n` holds the ids `w<writer>-<n>-<k>`.
        let acknowledged = Lock([[Int]](repeating: [], count: writers))
        let sizes = [1, 10, 100]
        @Sendable func ids(writer: Int, batch: Int) -> [String] { (0..<sizes[batch % 3]).map { "w\(writer)-\(batch)-\($0)" } }
        let stop = Atomic<Bool>(false)
        let stopped = Atomic<Int>(0)
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            DispatchQueue.global().async {
                defer {
                    stopped.add(1, ordering: .relaxed)
                    group.leave()
                }
                guard let client = try? TestClient(port: port, timeoutSeconds: 30) else { return }
                // Bounded: until the backup is done, at most 1,500 batches.
                for batch in 0..<1500 where !stop.load(ordering: .relaxed) {
                    let response = client.request("POST", "/events", headers: ndjsonHeaders, body: ndjson(ids: ids(writer: writer, batch: batch)))
                    guard response?.status == 200 else { return }
                    acknowledged.withLock { $0[writer].append(batch) }
                }
            }
        }
        let count = { acknowledged.withLock { $0.reduce(0) { $0 + $1.count } } }
        for _ in 0..<200 where count() < 10 { usleep(50_000) }
        let before = acknowledged.withLock { $0 }
        let backup = try runRecsmith(["backup", "--db", database, path("backup.sqlite")], timeoutSeconds: 60)
        let during = count() - before.reduce(0) { $0 + $1.count }
        let writersLeft = writers - stopped.load(ordering: .relaxed)
        stop.store(true, ordering: .relaxed)
        #expect(group.wait(timeout: .now() + .seconds(60)) == .success)
        let after = acknowledged.withLock { $0 }

        #expect(backup.status == 0, "\(backup.error)")
        let copySize = (try? FileManager.default.attributesOfItem(atPath: path("backup.sqlite"))[.size] as? Int) ?? 0
        #expect(copySize > 2 * 256 * 4096, "the copy is large enough to need several 256-page steps: \(copySize) bytes")
        #expect(during > 0, "the server acknowledged writes while the backup ran")
        #expect(writersLeft == writers, "the backup finished while the writers were still writing")
        let backedUp = try exportedIDs(store: ["--db", path("backup.sqlite")], into: path("backup.csv"))
        #expect(backup.output.contains("backed up \(backedUp.count) events to \(path("backup.sqlite"))"), "\(backup.output)")
        let inBackup = Set(backedUp)
        #expect(inBackup.count == backedUp.count, "no event twice")
        #expect((0..<200).allSatisfy { batch in (0..<1000).allSatisfy { inBackup.contains("seed-\(batch)-\($0)") } })
        var expected = 200 * 1000
        for writer in 0..<writers {
            #expect(after[writer] == Array(0..<after[writer].count), "writer \(writer) acknowledged in order")
            // The copy is one moment of the store: for each writer, its first `held` batches and nothing after.
            let held = after[writer].prefix { batch in ids(writer: writer, batch: batch).allSatisfy(inBackup.contains) }.count
            #expect(held >= before[writer].count, "writer \(writer): a batch acknowledged before the backup began is missing")
            let later = after[writer].dropFirst(held).flatMap { ids(writer: writer, batch: $0) }
            #expect(!later.contains(where: inBackup.contains), "writer \(writer): the copy skips a batch but holds a later one")
            expected += after[writer].prefix(held).reduce(0) { $0 + sizes[$1 % 3] }
        }
        #expect(backedUp.count == expected, "the copy holds acknowledged events only")

        let metrics = try PrometheusText(try server.client().request("GET", "/metrics")?.text ?? "")
        let stored = try #require(metrics.value("recsmith_store_events_count"))
        #expect(Double(backedUp.count) <= stored)
        #expect(stored == Double(200 * 1000 + after.joined().reduce(0) { $0 + sizes[$1 % 3] }), "the store holds every acknowledged event")
        #expect(server.terminate() == 0)
    }

    @Test func serveRefusesAFileThatIsNotSQLiteNamingIt() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let notes = path("notes.sqlite")
        let text = String(repeating: "these are notes, not a database\n", count: 200)
        try text.write(toFile: notes, atomically: false, encoding: .utf8)
        let refused = try runRecsmith(["serve", "--port", "0", "--db", notes, "--retrain-interval", "0"], timeoutSeconds: 30)
        #expect(refused.status == 1, "exits with an error, not a crash or a hang: \(refused.status)")
        #expect(refused.error.contains("\(notes) is not an SQLite database"), "\(refused.error)")
        #expect(!refused.output.contains("listening"))
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == text, "the file is left as it was")
    }
}
