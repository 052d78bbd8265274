import Dispatch
import Foundation
import Locking
import Testing
import TestSupport

@Suite(.serialized)
struct CrashTests {
    /// NDJSON for `count` events with ids `w<writer>-<first+n>`.
    private static func batch(writer: Int, first: Int, count: Int) -> [UInt8] {
        var text = ""
        for n in first..<(first + count) {
            text += #"{"user":"w\#(writer)-u\#(n % 50)","item":"i\#(n % 97)","id":"w\#(writer)-\#(n)"}"# + "\n"
        }
        return Array(text.utf8)
    }

    @Test func everyAcknowledgedEventSurvivesKill9DuringConcurrentIngest() throws {
        for round in 0..<2 {
            let server = try ServerProcess(arguments: ["--models", "popular"])
            defer { server.removeData() }
            let size: @Sendable (Int, Int) -> Int = { writer, step in [1, 10, 100][(step + writer) % 3] }
            let load = IngestLoad(port: server.port, batches: 400) { writer, step in
                Self.batch(writer: writer, first: step * 100, count: size(writer, step))
            }
            // Kill mid-load: once some batches are acknowledged (waiting at most 10 s), plus a round-dependent delay.
            load.waitForAcknowledged(8)
            usleep(useconds_t(100_000 + round * 150_000))
            server.kill9()
            let acked = load.finish().map { (writer: $0.writer, first: $0.step * 100, count: size($0.writer, $0.step)) }
            #expect(!acked.isEmpty, "round \(round): nothing was acknowledged before the kill")

            let restarted = try ServerProcess(arguments: ["--models", "popular"], directory: server.directory)
            let client = try restarted.client()
            var expected = 0
            var duplicates = 0
            for entry in acked {
                let body = Self.batch(writer: entry.writer, first: entry.first, count: entry.count)
                let answer = json(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: body))
                duplicates += answer["duplicates"] as? Int ?? 0
                expected += entry.count
                #expect(answer["accepted"] as? Int == 0, "round \(round): an acknowledged batch was lost")
            }
            #expect(duplicates == expected)
            #expect(restarted.terminate() == 0)
        }
    }
}
