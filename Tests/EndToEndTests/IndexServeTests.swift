import Foundation
import Glibc
import SyntheticData
import Testing
import TestSupport

/// `serving.index=hnsw` on a real server: the pass builds an index over ALS's item factors and a cosine one for its
/// similar items and persists both, answers come from them (close to exact scoring, never a seen or excluded item,
/// always k), a restart serves from the persisted indexes, and `/metrics` counts the searches.
@Suite(.serialized)
struct IndexServeTests {
    /// The events as NDJSON bodies of at most 5,000 (a batch holds at most 10,000).
    private static func events() -> [[UInt8]] {
        let lines = SyntheticEvents(userCount: 400, itemCount: 3_000, eventCount: 20_000, seed: 5).events().map { event in
            #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp))}"#
        }
        return stride(from: 0, to: lines.count, by: 5_000).map { Array(lines[$0..<min($0 + 5_000, lines.count)].joined(separator: "\n").utf8) }
    }

    private static func items(_ answer: [String: Any]) -> [String] {
        (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
    }

    private static func scores(_ answer: [String: Any]) -> [Double] {
        (answer["items"] as? [[String: Any]] ?? []).compactMap { ($0["score"] as? NSNumber)?.doubleValue }
    }

    @Test func answersFromTheIndexCloseToExactAndFromTheFileAfterARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-index-\(UUID().uuidString)")
        let common = ["--models", "als,popular", "--retrain-interval", "0", "--set", "als.factors=16"]
        let exact = try ServerProcess(arguments: common + ["--set", "serving.index=exact"])
        defer { exact.removeData() }
        var indexed = try ServerProcess(arguments: common + ["--set", "serving.index=hnsw"], directory: directory)
        defer { indexed.removeData() }
        let bodies = Self.events()
        // 50 of the 3,000 items in a category: a filter so selective that the index scans the passing items.
        let rare = "[" + (0..<50).map { #"{"item":"i\#($0 * 60)","categories":["rare"]}"# }.joined(separator: ",") + "]"
        for server in [exact, indexed] {
            let client = try server.client()
            for body in bodies {
                #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: body)?.status == 200)
            }
            #expect(client.request("POST", "/items", headers: [("Content-Type", "application/json")], body: Array(rare.utf8))?.status == 200)
            #expect(server.retrainAndWait(client) == "succeeded")
        }
        let exactClient = try exact.client()
        var indexedClient = try indexed.client()
        let admin = [("Authorization", "Bearer \(ServerProcess.adminToken)")]
        let durations = json(indexedClient.request("GET", "/retrain/job-1", headers: admin))["durations"] as? [String: Any] ?? [:]
        #expect(durations["index als"] != nil, "the pass built the index: \(durations)")
        #expect(durations["similarity index als"] != nil, "and the cosine index for similar items: \(durations)")

        var overlap = 0
        var before: [String: [String]] = [:]
        for user in stride(from: 0, to: 400, by: 10) {
            let fromIndex = Self.items(json(indexedClient.request("GET", "/users/u\(user)/recommendations?model=als&k=10")))
            let fromScan = Self.items(json(exactClient.request("GET", "/users/u\(user)/recommendations?model=als&k=10")))
            #expect(fromIndex.count == 10)
            overlap += Set(fromIndex).intersection(fromScan).count
            before["u\(user)"] = fromIndex
            // An excluded item leaves the answer, which still holds 10.
            let excluded = try #require(fromIndex.first)
            let without = Self.items(json(indexedClient.request("GET", "/users/u\(user)/recommendations?model=als&k=10&exclude=\(excluded)")))
            #expect(without.count == 10 && !without.contains(excluded))
        }
        #expect(Double(overlap) / Double(40 * 10) >= 0.9, "recall@10 of the index against exact scoring: \(overlap) of 400")
        var rareOverlap = 0
        for user in stride(from: 0, to: 400, by: 40) {
            let path = "/users/u\(user)/recommendations?model=als&k=10&category=rare"
            let fromIndex = Self.items(json(indexedClient.request("GET", path)))
            let fromScan = Self.items(json(exactClient.request("GET", path)))
            #expect(fromIndex.count == 10 && fromIndex.allSatisfy { (Int($0.dropFirst()) ?? 1) % 60 == 0 })
            rareOverlap += Set(fromIndex).intersection(fromScan).count
        }
        #expect(rareOverlap >= 95, "a selective filter is answered exactly: \(rareOverlap) of 100")
        // Similar items from the cosine index: close to the full scan's, never the item, a selective filter exact.
        // Many items share a direction (cosine 1.0 to six digits), so answers are compared by their scores: a found
        // item scoring at least the scan's 10th (within 1e-4) counts as a hit.
        var similarHits = 0, similarSearched = 0
        var similarBefore: [String: [String]] = [:]
        for item in stride(from: 1, to: 3_000, by: 100) {
            let path = "/items/i\(item)/similar?model=als&k=10"
            let fromIndex = json(indexedClient.request("GET", path))
            let fromScan = json(exactClient.request("GET", path))
            #expect(Self.items(fromIndex).count == Self.items(fromScan).count && !Self.items(fromIndex).contains("i\(item)"))
            let bar = Self.scores(fromScan).last ?? 0
            similarHits += min(Self.scores(fromScan).count, Self.scores(fromIndex).count { $0 >= bar - 1e-4 })
            if !Self.items(fromIndex).isEmpty { similarSearched += 1 }  // an item without events has no vector and no answer
            similarBefore[path] = Self.items(fromIndex)
            let rare = path + "&category=rare"
            let rareFromIndex = Self.scores(json(indexedClient.request("GET", rare)))
            let rareFromScan = Self.scores(json(exactClient.request("GET", rare)))
            #expect(rareFromIndex.count == rareFromScan.count && zip(rareFromIndex, rareFromScan).allSatisfy { abs($0 - $1) <= 1e-4 })
        }
        #expect(similarSearched >= 25)
        #expect(Double(similarHits) >= 0.9 * Double(similarSearched * 10), "similar items as good as the scan's: \(similarHits) of \(similarSearched * 10)")
        let metrics = try PrometheusText(String(decoding: indexedClient.request("GET", "/metrics")?.body ?? [], as: UTF8.self))
        #expect(metrics.total("recsmith_index_searches_total", matching: ["model": "als"]) >= Double(80 + 2 * similarSearched))
        #expect(indexed.terminate() == 0)

        indexed = try ServerProcess(arguments: common + ["--set", "serving.index=hnsw"], directory: directory)
        indexedClient = try indexed.client()
        for (user, expected) in before {
            #expect(Self.items(json(indexedClient.request("GET", "/users/\(user)/recommendations?model=als&k=10"))) == expected)
        }
        for (path, expected) in similarBefore {
            #expect(Self.items(json(indexedClient.request("GET", path))) == expected)
        }
        let restarted = try PrometheusText(String(decoding: indexedClient.request("GET", "/metrics")?.body ?? [], as: UTF8.self))
        #expect(restarted.total("recsmith_index_searches_total", matching: ["model": "als"]) >= Double(40 + similarSearched), "served from the loaded indexes")
        #expect(indexed.terminate() == 0)
    }
}
