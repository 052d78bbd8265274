import Foundation
import SyntheticData
import Testing
import TestSupport

/// `recsmith migrate --from sqlite:… --to postgresql://…`: a store seeded through a server on SQLite answers the
/// same through a server on the PostgreSQL copy — records, relations, counts, idempotency, and the models trained
/// on SQLite, whose ids kept their numbers.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)),
       EndToEndStore.sqliteOnly("it seeds a server's SQLite file to migrate from"))
struct MigrateCommandTests {
    private static let admin = [("Authorization", "Bearer \(ServerProcess.adminToken)")]
    private static let jsonType = [("Content-Type", "application/json")]

    private static func send(_ client: TestClient, _ method: String, _ path: String, _ body: String, headers: [(String, String)] = []) -> Int? {
        client.request(method, path, headers: jsonType + headers, body: Array(body.utf8))?.status
    }

    /// What both servers must answer alike.
    private static func answers(_ client: TestClient) -> [String] {
        ["/users/u3/recommendations?k=5", "/users/u3/recommendations?k=5&model=popular", "/items/i1", "/items/i2", "/users/u2",
         "/items/i5/relations", "/items/i7/similar?k=3", "/users/u4", "/items/i9", "/users/u1"].map { path in
            let response = client.request("GET", path)
            var object = json(response)
            object["recommendation_id"] = nil
            let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
            return "\(path) \(response?.status ?? 0) \(body ?? "")"
        }
    }

    @Test func aSeededSQLiteStoreMigratedToPostgresAnswersTheSameThroughAServerOnIt() throws {
        let sqlite = try ServerProcess()
        defer { sqlite.removeData() }
        let client = try sqlite.client()
        let events = SyntheticEvents(userCount: 40, itemCount: 60, eventCount: 1500, seed: 11).events()
        var body = ""
        for (index, event) in events.enumerated() {
            body += #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp)),"id":"m\#(index)","weight":1.5}"# + "\n"
        }
        let posted = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))
        #expect(json(posted)["accepted"] as? Int == 1500)
        #expect(Self.send(client, "PUT", "/items/i1", #"{"categories":["shoes"],"labels":{"brand":"acme","price":49.5},"text":"red\tshoes"}"#) == 200)
        #expect(Self.send(client, "PUT", "/items/i2", #"{"hidden":true}"#) == 200)
        #expect(Self.send(client, "PUT", "/users/u2", #"{"labels":{"tier":"gold"}}"#) == 200)
        #expect(Self.send(client, "POST", "/relations", #"[{"from":"i5","to":"i6","type":"also_bought","weight":2}]"#) == 200)
        #expect(Self.send(client, "POST", "/events", #"{"user":"u3","item":"i8","type":"rating","weight":4}"#) == 200)
        #expect(client.request("DELETE", "/items/i9")?.status == 200)
        #expect(client.request("DELETE", "/users/u1", headers: Self.admin)?.status == 200)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        let before = Self.answers(client)
        #expect(sqlite.terminate() == 0)

        let database = try PostgresTestDatabase()
        let storePath = sqlite.directory.appendingPathComponent("store.sqlite").path
        let migrated = try runRecsmith(["migrate", "--from", "sqlite:\(storePath)", "--to", database.url])
        #expect(migrated.status == 0, "\(migrated.error)")
        #expect(migrated.output.contains("events") && migrated.output.contains("every table's count matches"), "\(migrated.output)")
        #expect(try database.execute("SELECT count(*) FROM users WHERE external LIKE E'\\001erased:%'") == [["1"]], "the tombstone came along")
        // Items i1 and i2 (records) and i9 (deleted), user u2's record, i5's relations: announced on the change feed
        // after every copied event, for processes already running on the database.
        #expect(try database.execute("SELECT count(*), min(seq) > (SELECT max(seq) FROM events) FROM changes") == [["5", "t"]])

        // The same directory (its models_dir holds the set trained on SQLite), the store now PostgreSQL.
        let postgres = try ServerProcess(arguments: ["--store", database.url], directory: sqlite.directory)
        let moved = try postgres.client()
        #expect(Self.answers(moved) == before)
        let fresh = Self.send(moved, "POST", "/events", #"{"user":"u1","item":"i0"}"#)
        #expect(fresh == 200 && json(moved.request("GET", "/users/u1"))["events"] as? Int == 1, "the erased id is a new user")
        // The ids came along, except the erased user's: their events are gone, ids included.
        let erasedEvents = events.filter { $0.user == 1 }.count
        let again = moved.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))
        #expect(erasedEvents > 0 && json(again)["duplicates"] as? Int == 1500 - erasedEvents && json(again)["accepted"] as? Int == erasedEvents)

        // A second migration into the now non-empty database is refused, unless forced.
        let refused = try runRecsmith(["migrate", "--from", "sqlite:\(storePath)", "--to", database.url])
        #expect(refused.status != 0 && refused.error.contains("--force"), "\(refused.error)")
    }
}
