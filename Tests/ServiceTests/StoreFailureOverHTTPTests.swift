import Training
import Serving
import Observability
import Configuration
import EventStore
import Foundation
import Logging
import Models
import Locking
import Testing
import TestSupport
@testable import Service

/// Keeps every event logged through `logger`, for tests that check what the service logged.
private final class CapturedLog: Sendable {
    struct Entry: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let storage = Lock<[Entry]>([])

    var entries: [Entry] { storage.withLock { $0 } }

    var logger: Logger { Logger(label: "test") { _ in Handler(log: self) } }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues(\.description)
            log.storage.withLock { $0.append(Entry(level: event.level, message: event.message.description, metadata: merged)) }
        }
    }
}

@Suite(.serialized)
struct StoreFailureOverHTTPTests {
    /// User ids long enough that a few batches fill a small store; one user per event, so a user's presence
    /// in the store says whether that event was stored.
    private static func user(batch: Int, event: Int) -> String {
        "fill-\(batch)-\(event)-" + String(repeating: "u", count: 100)
    }

    private static func batch(_ batch: Int, size: Int) -> [UInt8] {
        let lines = (0..<size).map { #"{"user":"\#(user(batch: batch, event: $0))","item":"i\#($0)","id":"fill-\#(batch)-\#($0)"}"# }
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    @Test func fullStoreAnswers503StoresNothingUnacknowledgedAndKeepsServingReads() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let log = CapturedLog()
        var configuration = data.configuration(models: [.popular])
        configuration.maxStorePages = 80
        let service = try RecsmithService(configuration: configuration, logger: log.logger)
        defer { service.shutdown() }
        let seeded = syntheticEvents(count: 300)
        _ = try service.store.append(seeded)
        #expect(service.trainer.trainNow().status == .succeeded)
        let port = try service.start()
        let client = try TestClient(port: port, timeoutSeconds: 10)
        #expect(client.request("GET", "/users/u1/recommendations?k=5")?.status == 200)

        let size = 50
        var acknowledged: [Int] = []
        var refused: (batch: Int, response: TestResponse)?
        // Bounded: the 80-page store is full after a dozen or so batches.
        for batch in 0..<400 {
            let response = try #require(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")],
                                                       body: Self.batch(batch, size: size)), "batch \(batch): no answer")
            guard response.status == 200 else {
                refused = (batch, response)
                break
            }
            #expect(response.text == #"{"accepted":50,"duplicates":0}"#)
            acknowledged.append(batch)
        }
        let (failed, answer) = try #require(refused, "the store never filled up")
        #expect(!acknowledged.isEmpty)
        #expect(answer.status == 503)
        #expect(answer.header("retry-after") == "1")
        let error = try #require((try? JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "store_unavailable")
        #expect((error["message"] as? String)?.contains("store_disk_full") == true, "\(error)")

        let expected = seeded.count + acknowledged.count * size
        #expect(service.store.eventCount == expected)
        let failures = log.entries.filter { $0.level == .error && $0.message == "events not stored" }
        #expect(failures.count == 1)
        #expect(failures.first?.metadata["error"]?.contains("event store is full") == true, "\(failures)")
        #expect(failures.first?.metadata["count"] == "\(size)")

        // Reads go on while writes fail.
        for _ in 0..<3 {
            #expect(client.request("GET", "/healthz")?.status == 200)
            #expect(client.request("GET", "/readyz")?.status == 200)
            let recommendations = client.request("GET", "/users/u1/recommendations?k=5")
            #expect(recommendations?.status == 200)
            #expect((try? JSONSerialization.jsonObject(with: Data(recommendations?.body ?? [])) as? [String: Any])?["items"] != nil)
            #expect(try TestClient(port: port, timeoutSeconds: 10).request("GET", "/metrics")?.status == 200)
        }

        // What is on disk: every acknowledged event, nothing from the refused batch.
        let onDisk = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: data.databasePath, readOnly: true))
        defer { onDisk.close() }
        #expect(onDisk.eventCount == expected)
        for batch in acknowledged {
            #expect((0..<size).allSatisfy { onDisk.userIndex(Self.user(batch: batch, event: $0)) != nil }, "batch \(batch) lost")
        }
        #expect((0..<size).allSatisfy { onDisk.userIndex(Self.user(batch: failed, event: $0)) == nil })
        #expect((0..<size).allSatisfy { service.store.userIndex(Self.user(batch: failed, event: $0)) == nil })
    }
}
