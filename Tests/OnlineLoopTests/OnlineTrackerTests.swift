import EventStore
import Foundation
import OnlineLoop
import Testing

/// Ids go first in the answer's JSON object, which otherwise stays byte for byte the same.
struct OnlineTrackerTests {
    private static func tracker(ids: Bool) throws -> (OnlineTracker, SQLiteEventStore, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-tracker-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLiteEventStore(path: directory + "/store.sqlite")
        let tracker = OnlineTracker(store: store, experiments: Experiments([]), settings: ids ? .init() : nil, clock: { 1_800_000_000 })
        return (tracker, store, directory)
    }

    private static let list = ServedList(id: "", servedAt: 1_800_000_000, expiresAt: 0, user: "u", model: "als", version: "v", items: ["x"])

    @Test func putsAFreshIDFirstAndRemembersTheList() throws {
        let (tracker, store, directory) = try Self.tracker(ids: true)
        defer { store.close(); try? FileManager.default.removeItem(atPath: directory) }
        let body = Array(#"{"user":"u","items":[]}"#.utf8)
        let first = String(decoding: tracker.tag(body, as: Self.list), as: UTF8.self)
        let second = String(decoding: tracker.tag(body, as: Self.list), as: UTF8.self)
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        let id = try #require(object?["recommendation_id"] as? String)
        #expect(first == #"{"recommendation_id":"\#(id)","user":"u","items":[]}"#)
        #expect(first != second)
        #expect(tracker.log?.statistics.remembered == 2)
        #expect(String(decoding: tracker.tag(Array("{}".utf8), as: Self.list), as: UTF8.self).hasSuffix(#""}"#))
    }

    @Test func leavesTheBodyAloneWhenIDsAreOff() throws {
        let (tracker, store, directory) = try Self.tracker(ids: false)
        defer { store.close(); try? FileManager.default.removeItem(atPath: directory) }
        let body = Array(#"{"user":"u"}"#.utf8)
        #expect(tracker.tag(body, as: Self.list) == body)
        #expect(tracker.log == nil && tracker.ids == nil)
    }
}
