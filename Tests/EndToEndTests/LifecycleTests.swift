import Dispatch
import Foundation
import Glibc
import Locking
import Testing
import TestSupport

/// A server's first minutes and its last: answers right after the first events, one server per store, and an
/// orderly stop (exit 0, nothing acknowledged lost) whatever is running when SIGTERM arrives.
@Suite(.serialized)
struct LifecycleTests {
    private static let ndjson = [("Content-Type", "application/x-ndjson")]

    /// NDJSON events with ids `<prefix>-<n>` for n in `range`, spread over 20 users and 50 items.
    private static func events(_ prefix: String, _ range: Range<Int>) -> [UInt8] {
        Array(range.map { #"{"user":"u\#($0 % 20)","item":"i\#(($0 * 7) % 50)","id":"\#(prefix)-\#($0)"}"# + "\n" }.joined().utf8)
    }

    /// Events stored in the store `store` names, counted from `recsmith export` (the server must be stopped or
    /// the store otherwise quiet).
    private static func storedEventCount(store: [String]) throws -> Int {
        let export = try runRecsmith(["export"] + store)
        #expect(export.status == 0, "export failed: \(export.error)")
        return export.output.split(separator: "\n").count - 1
    }

    @Test func newServerAnswersRightAfterItsFirstEventsAndTrainsByItself() throws {
        let server = try ServerProcess(arguments: ["--models", "als,popular", "--set", "als.iterations=3"])
        defer { server.removeData() }
        let client = try server.client()
        #expect(client.request("GET", "/readyz")?.status == 503, "an empty store has nothing to answer with")
        #expect(client.request("POST", "/events", headers: Self.ndjson, body: Self.events("first", 0..<200))?.status == 200)

        #expect(client.request("GET", "/readyz")?.status == 200, "live popularity answers from the first event")
        let stranger = client.request("GET", "/users/nobody/recommendations?k=5")
        #expect(stranger?.status == 200)
        #expect(json(stranger)["model"] as? String == "popular")
        #expect(json(stranger)["version"] as? String == "live")
        #expect(itemIDs(stranger).count == 5)
        let known = client.request("GET", "/users/u3/recommendations?k=50")
        #expect(known?.status == 200)
        let seen = Set((0..<200).filter { $0 % 20 == 3 }.map { "i\(($0 * 7) % 50)" })
        #expect(!itemIDs(known).isEmpty && seen.isDisjoint(with: itemIDs(known)), "live answers leave seen items out too")

        // The first pass starts by itself although --retrain-interval is 0; wait (at most 30 s) for ALS to answer.
        var model = ""
        for _ in 0..<300 {
            model = json(client.request("GET", "/users/u3/recommendations?k=5"))["model"] as? String ?? ""
            if model == "als" { break }
            usleep(100_000)
        }
        #expect(model == "als")
        #expect(server.terminate() == 0)
    }

    @Test(EndToEndStore.sqliteOnly("the one-server lock is the SQLite file's; replicas share a PostgreSQL store"))
    func secondServerOnOneStoreIsRefusedNamingTheHolder() throws {
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        let database = server.directory.appendingPathComponent("store.sqlite").path
        #expect(try server.client().request("POST", "/events", headers: Self.ndjson, body: Self.events("a", 0..<30))?.status == 200)

        let second = try runRecsmith(["serve", "--port", "0", "--db", database, "--retrain-interval", "0"], timeoutSeconds: 30)
        #expect(second.status != 0)
        #expect(second.error.contains("store \(database) is in use by pid \(server.process.processIdentifier)"), "\(second.error)")
        let csv = server.directory.appendingPathComponent("more.csv").path
        try "user,item,timestamp\nx,y,1700000000\n".write(toFile: csv, atomically: false, encoding: .utf8)
        let importing = try runRecsmith(["import", "--db", database, csv])
        #expect(importing.status != 0, "an import beside a server would never reach its index")
        #expect(importing.error.contains("in use by pid \(server.process.processIdentifier)"))

        #expect(try Self.storedEventCount(store: ["--db", database]) == 30, "export works beside the server")
        let copy = server.directory.appendingPathComponent("copy.sqlite").path
        let backup = try runRecsmith(["backup", "--db", database, copy])
        #expect(backup.status == 0, "backup works beside the server: \(backup.error)")

        #expect(server.terminate() == 0)
        let restarted = try ServerProcess(arguments: ["--models", "popular"], directory: server.directory)
        #expect(restarted.terminate() == 0, "the lock goes with the server that held it")
    }

    @Test func sigtermDuringATrainingPassExitsZeroWithEveryEvent() throws {
        let server = try ServerProcess(arguments: ["--models", "als", "--set", "als.iterations=1000", "--set", "als.factors=64"])
        defer { server.removeData() }
        let client = try server.client()
        for batch in 0..<10 {
            let body = Self.events("t", batch * 2000..<(batch + 1) * 2000)
            #expect(client.request("POST", "/events", headers: Self.ndjson, body: body)?.status == 200)
        }
        let auth = [("Authorization", "Bearer \(ServerProcess.adminToken)")]
        let job = json(client.request("POST", "/retrain", headers: auth))["job"] as? String ?? ""
        // Wait (at most 10 s) until the pass fits ALS: its matrix phase is done.
        for _ in 0..<100 {
            let durations = json(client.request("GET", "/retrain/\(job)", headers: auth))["durations"] as? [String: Any]
            if durations?["matrix"] != nil { break }
            usleep(100_000)
        }
        #expect(json(client.request("GET", "/retrain/\(job)", headers: auth))["status"] as? String == "running")
        #expect(server.terminate() == 0)
        #expect(try Self.storedEventCount(store: server.storeArguments) == 20_000)
    }

    @Test func sigtermDuringAnEventBurstExitsZeroAndKeepsEveryAcknowledgedBatch() throws {
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        // Batches of 1, 10 and 100 events with ids of their own: writer w's step s covers ids from (w·300 + s)·100.
        let range: @Sendable (Int, Int) -> Range<Int> = { writer, step in
            let first = (writer * 300 + step) * 100
            return first..<(first + [1, 10, 100][step % 3])
        }
        let load = IngestLoad(port: server.port, batches: 300) { writer, step in Self.events("b", range(writer, step)) }
        load.waitForAcknowledged(20)
        #expect(server.terminate() == 0)
        let acked = load.finish().map { range($0.writer, $0.step) }
        #expect(!acked.isEmpty)

        let restarted = try ServerProcess(arguments: ["--models", "popular"], directory: server.directory)
        let client = try restarted.client()
        for range in acked {
            let answer = json(client.request("POST", "/events", headers: Self.ndjson, body: Self.events("b", range)))
            #expect(answer["accepted"] as? Int == 0, "an acknowledged batch \(range) was lost")
        }
        #expect(restarted.terminate() == 0)
    }

    @Test func sigtermDuringHTTP2StreamsExitsZeroAndKeepsEveryAcknowledgedBatch() throws {
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        // 400 POSTs of 50 events each, 20 streams at a time on one h2c connection; curl prints `<n> <status>`.
        let batches = 400
        var config = ""
        for batch in 0..<batches {
            let file = server.directory.appendingPathComponent("batch-\(batch).ndjson")
            try Data(Self.events("h2", batch * 50..<(batch + 1) * 50)).write(to: file)
            if batch > 0 { config += "next\n" }
            config += "url = \"http://127.0.0.1:\(server.port)/events\"\nheader = \"Content-Type: application/x-ndjson\"\n"
                + "data-binary = \"@\(file.path)\"\noutput = \"/dev/null\"\nwrite-out = \"%{urlnum} %{http_code}\\n\"\n"
        }
        let configFile = server.directory.appendingPathComponent("curl.config")
        try config.write(to: configFile, atomically: false, encoding: .utf8)
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["--silent", "--http2-prior-knowledge", "--parallel", "--parallel-max", "20", "--max-time", "60",
                          "--config", configFile.path]
        let output = Pipe()
        curl.standardOutput = output
        curl.standardError = FileHandle.nullDevice
        try curl.run()
        let collected = Lock<[UInt8]>([])
        let reader = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while true {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                collected.withLock { $0.append(contentsOf: data) }
            }
            reader.signal()
        }
        // Stop once 20 streams were answered (waiting at most 10 s), while the rest are in flight.
        for _ in 0..<200 where collected.withLock({ $0.count(where: { $0 == UInt8(ascii: "\n") }) }) < 20 { usleep(50_000) }
        #expect(server.terminate() == 0)
        curl.waitUntilExit()
        reader.wait()
        let lines = String(decoding: collected.withLock { $0 }, as: UTF8.self).split(separator: "\n")
        let acknowledged = lines.compactMap { line -> Int? in
            let fields = line.split(separator: " ")
            return fields.count == 2 && fields[1] == "200" ? Int(fields[0]) : nil
        }
        #expect(!acknowledged.isEmpty, "no stream was answered before the stop")

        let restarted = try ServerProcess(arguments: ["--models", "popular"], directory: server.directory)
        let client = try restarted.client()
        for batch in acknowledged {
            let answer = json(client.request("POST", "/events", headers: Self.ndjson, body: Self.events("h2", batch * 50..<(batch + 1) * 50)))
            #expect(answer["accepted"] as? Int == 0, "acknowledged h2 batch \(batch) was lost")
        }
        #expect(restarted.terminate() == 0)
    }

    @Test func sigtermDuringAnImportStopsBetweenBatchesAndSaysWhatIsStored() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("events.csv").path
        let database = directory.appendingPathComponent("store.sqlite").path
        let generated = try runRecsmith(["generate", "--users", "5000", "--items", "2000", "--events", "1000000", "--output", csv])
        #expect(generated.status == 0)

        let log = directory.appendingPathComponent("import.err")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let importing = Process()
        importing.executableURL = ServerProcess.binary
        importing.arguments = ["import", "--db", database, "--batch-size", "20000", csv]
        importing.standardOutput = FileHandle.nullDevice
        importing.standardError = try FileHandle(forWritingTo: log)
        try importing.run()
        // Stop after the first tenth is reported (at most 30 s).
        for _ in 0..<300 where !((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("imported") { usleep(100_000) }
        kill(importing.processIdentifier, SIGTERM)
        importing.waitUntilExit()
        let message = try String(contentsOf: log, encoding: .utf8)
        #expect(importing.terminationReason == .exit && importing.terminationStatus == 128 + SIGTERM, "\(message)")
        let summary = try #require(message.split(separator: "\n").last { $0.hasPrefix("import stopped by SIGTERM: ") })
        let stored = Int(summary.split(separator: " ")[4]) ?? -1
        #expect(stored > 0 && stored < 1_000_000 && stored % 20_000 == 0, "\(summary)")
        #expect(try Self.storedEventCount(store: ["--db", database]) == stored)
    }
}
