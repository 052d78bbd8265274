import Dispatch
import Foundation
import Glibc
import Locking
import SyntheticData
import Testing
import TestSupport

private let jsonHeaders = [("Content-Type", "application/json")]
private let adminHeaders = [("Authorization", "Bearer \(ServerProcess.adminToken)")]

/// The catalogue over HTTP: records, hiding, deletion, erasure and category restrictions, on a real server.
@Suite(.serialized)
struct CatalogueServeTests {
    /// 300 items in 6 categories (`c<item % 6>`), 120 users, trained models.
    private func trainedServer() throws -> (ServerProcess, TestClient) {
        let server = try ServerProcess()
        let client = try server.client()
        let generator = SyntheticEvents(userCount: 120, itemCount: 300, eventCount: 4000, seed: 3)
        var text = ""
        for event in generator.events() {
            text += #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp))}"# + "\n"
        }
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(text.utf8))?.status == 200)
        let records = (0..<300).map { #"{"item":"i\#($0)","categories":["c\#($0 % 6)"],"labels":{"price":\#($0)}}"# }
        let upserted = client.request("POST", "/items", headers: jsonHeaders, body: Array("[\(records.joined(separator: ","))]".utf8))
        #expect(json(upserted)["upserted"] as? Int == 300)
        finishedRetrain(client)
        return (server, client)
    }

    /// Every ranked list the server gives for `user` and `item`, by route: each model, the fallback of an
    /// unknown user, and similar items.
    private func everyAnswer(_ client: TestClient, user: String, item: String) -> [String: [String]] {
        var answers: [String: [String]] = [:]
        for model in ["als", "bpr", "itemknn", "trending", "popular"] {
            answers["recommendations \(model)"] = itemIDs(client.request("GET", "/users/\(user)/recommendations?k=300&model=\(model)"))
        }
        answers["fallback"] = itemIDs(client.request("GET", "/users/nobody/recommendations?k=300"))
        for model in ["itemknn", "als", "bpr"] {
            answers["similar \(model)"] = itemIDs(client.request("GET", "/items/\(item)/similar?k=300&model=\(model)"))
        }
        return answers
    }

    @Test func aHiddenItemLeavesEveryAnswerAtOnceCachedOnesIncluded() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        let before = everyAnswer(client, user: "u1", item: "i2")
        let target = try #require(before["recommendations als"]?.first)
        #expect(before.values.filter { $0.contains(target) }.count >= 5, "the item is in most answers before")

        let hide = client.request("PATCH", "/items/\(target)", headers: [("Content-Type", "application/merge-patch+json")],
                                  body: Array(#"{"hidden": true}"#.utf8))
        #expect(hide?.status == 200)
        #expect(json(hide)["hidden"] as? Bool == true)
        #expect(json(hide)["categories"] as? [String] != nil, "a merge patch keeps the other fields")
        for (route, items) in everyAnswer(client, user: "u1", item: "i2") {
            #expect(!items.contains(target), "\(route) still holds the hidden item")
            #expect(!items.isEmpty, "\(route) is empty")
        }

        #expect(client.request("PATCH", "/items/\(target)", headers: jsonHeaders, body: Array(#"{"hidden": false}"#.utf8))?.status == 200)
        #expect(itemIDs(client.request("GET", "/users/u1/recommendations?k=300&model=als")).contains(target))

        let future = #"{"categories": ["c0"], "published_at": "2999-01-01T00:00:00Z"}"#
        #expect(json(client.request("PUT", "/items/\(target)", headers: jsonHeaders, body: Array(future.utf8)))["created"] as? Bool == false)
        #expect(!itemIDs(client.request("GET", "/users/u1/recommendations?k=300&model=als")).contains(target))
        let expired = #"{"expires_at": 1000}"#
        #expect(client.request("PUT", "/items/\(target)", headers: jsonHeaders, body: Array(expired.utf8))?.status == 200)
        #expect(!itemIDs(client.request("GET", "/users/nobody/recommendations?k=300")).contains(target))
    }

    @Test func deletionKeepsEventsUnlessPurgedAndAPutBringsTheItemBack() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        let item = try #require(itemIDs(client.request("GET", "/users/nobody/recommendations?k=1")).first)
        let events = try #require(json(client.request("GET", "/items/\(item)"))["events"] as? Int)
        #expect(events > 0)

        let deleted = client.request("DELETE", "/items/\(item)")
        #expect(json(deleted)["deleted"] as? Bool == true && json(deleted)["events_deleted"] as? Int == 0)
        #expect(client.request("GET", "/items/\(item)")?.status == 404)
        #expect(client.request("GET", "/items/\(item)/similar")?.status == 404)
        for (route, items) in everyAnswer(client, user: "u1", item: "i2") {
            #expect(!items.contains(item), "\(route) still holds the deleted item")
        }
        #expect(client.request("DELETE", "/items/\(item)")?.status == 404, "deleting twice finds nothing")

        #expect(client.request("PUT", "/items/\(item)", headers: jsonHeaders, body: Array("{}".utf8))?.status == 200)
        #expect(json(client.request("GET", "/items/\(item)"))["events"] as? Int == events)
        #expect(itemIDs(client.request("GET", "/users/nobody/recommendations?k=1")) == [item])

        let purged = client.request("DELETE", "/items/\(item)?purge=true")
        #expect(json(purged)["events_deleted"] as? Int == events)
        #expect(client.request("PUT", "/items/\(item)", headers: jsonHeaders, body: Array("{}".utf8))?.status == 200)
        #expect(json(client.request("GET", "/items/\(item)"))["events"] as? Int == 0)
        #expect(client.request("DELETE", "/items/never-seen")?.status == 404)
        #expect(client.request("DELETE", "/items/\(item)?purge=maybe")?.status == 400)
    }

    @Test func categoriesYieldExactlyKItemsThatAllPass() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        for model in ["als", "itemknn", "popular"] {
            let answer = itemIDs(client.request("GET", "/users/u3/recommendations?k=20&model=\(model)&category=c4"))
            #expect(answer.count == 20, "\(model) gave \(answer.count)")
            #expect(answer.allSatisfy { Int($0.dropFirst())! % 6 == 4 })
        }
        let either = itemIDs(client.request("GET", "/users/u3/recommendations?k=30&category=c1&category=c2"))
        #expect(either.count == 30 && either.allSatisfy { [1, 2].contains(Int($0.dropFirst())! % 6) })
        let similar = itemIDs(client.request("GET", "/items/i7/similar?k=10&model=als&category=c5"))
        #expect(similar.count == 10 && similar.allSatisfy { Int($0.dropFirst())! % 6 == 5 })
        #expect(itemIDs(client.request("GET", "/users/u3/recommendations?k=10&category=none")).isEmpty)
        #expect(client.request("GET", "/users/u3/recommendations?category=%01")?.status == 400)

        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = json(client.request("GET", "/items?category=c0&limit=20" + (cursor.map { "&cursor=\($0)" } ?? "")))
            seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
            cursor = page["cursor"] as? String
        } while cursor != nil && seen.count < 400
        #expect(seen.count == 50 && Set(seen).count == 50)
    }

    @Test func filtersYieldExactlyKItemsThatAllPassAndBadOnesNameTheirPosition() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        let filter = "labels.price >= 100 AND labels.price < 130 AND NOT categories HAS \"c0\""
        let encoded = filter.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        for model in ["als", "bpr", "itemknn", "trending", "popular"] {
            let answer = itemIDs(client.request("GET", "/users/u5/recommendations?k=20&model=\(model)&filter=\(encoded)"))
            #expect(answer.count == 20, "\(model) gave \(answer.count)")
            #expect(answer.allSatisfy { (100..<130).contains(Int($0.dropFirst())!) && Int($0.dropFirst())! % 6 != 0 })
        }
        let similar = itemIDs(client.request("GET", "/items/i7/similar?k=20&model=als&filter=\(encoded)"))
        #expect(similar.count == 20)
        let plus = itemIDs(client.request("GET", "/users/u5/recommendations?k=5&filter=labels.price+%3C+3"))
        #expect(Set(plus).isSubset(of: ["i0", "i1", "i2"]) && !plus.isEmpty, "+ is a space in a query")

        let bad = client.request("GET", "/users/u5/recommendations?filter=labels.price%20%3C%3C%201")
        #expect(bad?.status == 400)
        let error = json(bad)["error"] as? [String: Any] ?? [:]
        #expect(error["code"] as? String == "invalid_filter")
        #expect((error["details"] as? [[String: Any]])?.first?["position"] as? Int == 13)
        #expect(client.request("GET", "/items/i7/similar?filter=EXISTS")?.status == 400)
        #expect(client.request("GET", "/users/u5/recommendations?k=3")?.status == 200, "the server keeps serving")
    }

    @Test func aNewItemIsSimilarFromItsFirstSecondWithoutAnyEventOrPass() throws {
        let server = try ServerProcess()
        defer { server.removeData() }
        let client = try server.client()
        #expect(client.request("GET", "/items/anything/similar?model=content")?.status == 400, "no record yet: content is not available")
        let records = [
            #"{"item":"boot-1","categories":["boots"],"text":"leather hiking boot"}"#,
            #"{"item":"boot-2","categories":["boots"],"text":"waterproof hiking boot"}"#,
            #"{"item":"hat-1","categories":["hats"],"text":"wool winter hat"}"#,
        ]
        #expect(client.request("POST", "/items", headers: jsonHeaders, body: Array("[\(records.joined(separator: ","))]".utf8))?.status == 200)
        let put = client.request("PUT", "/items/boot-3", headers: jsonHeaders, body: Array(#"{"categories":["boots"],"text":"hiking boot for winter"}"#.utf8))
        #expect(put?.status == 200)
        let similar = client.request("GET", "/items/boot-3/similar?model=content&k=2")
        #expect(json(similar)["model"] as? String == "content")
        #expect(Set(itemIDs(similar)) == ["boot-1", "boot-2"])
        #expect(itemIDs(client.request("GET", "/items/boot-3/similar?k=3")).first?.hasPrefix("boot") == true, "content answers without a model named")
        let models = json(client.request("GET", "/models"))["models"] as? [[String: Any]] ?? []
        #expect(models.contains { $0["name"] as? String == "content" && $0["items"] as? Int == 4 })
    }

    @Test func aNewItemReachesTheUsersWhoseHistoryMatchesIt() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        var text = ""
        for index in 0..<5 {
            let record = #"{"categories":["c3"],"text":"zebra stripes pattern \#(index)"}"#
            #expect(client.request("PUT", "/items/i\(index * 6 + 3)", headers: jsonHeaders, body: Array(record.utf8))?.status == 200)
            text += #"{"user":"fan","item":"i\#(index * 6 + 3)"}"# + "\n"
        }
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(text.utf8))?.status == 200)
        let fresh = #"{"categories":["c3"],"text":"zebra stripes, new this week"}"#
        #expect(client.request("PUT", "/items/fresh", headers: jsonHeaders, body: Array(fresh.utf8))?.status == 200)
        let forFan = client.request("GET", "/users/fan/recommendations?model=content&k=3")
        #expect(itemIDs(forFan).first == "fresh", "\(itemIDs(forFan))")

        // A user whose only events are on items the trained models have never seen is served by content.
        let newcomer = #"{"categories":["c3"],"text":"zebra stripes scarf"}"#
        #expect(client.request("PUT", "/items/scarf", headers: jsonHeaders, body: Array(newcomer.utf8))?.status == 200)
        #expect(client.request("POST", "/events", headers: jsonHeaders, body: Array(#"{"user":"newcomer","item":"scarf"}"#.utf8))?.status == 200)
        let answer = json(client.request("GET", "/users/newcomer/recommendations?k=6"))
        #expect(answer["model"] as? String == "content")
        let zebras = Set((0..<5).map { "i\($0 * 6 + 3)" } + ["fresh"])
        #expect(Set((answer["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }) == zebras)
    }

    @Test func badRecordsAreRefusedWholeWithEveryProblemNamed() throws {
        let server = try ServerProcess()
        defer { server.removeData() }
        let client = try server.client()
        let batch = #"[{"item":"a","categories":["x"]},{"item":"b","labels":{"bad name":1},"hidden":"no"},{"categories":[]}]"#
        let refused = client.request("POST", "/items", headers: jsonHeaders, body: Array(batch.utf8))
        #expect(refused?.status == 400)
        let error = json(refused)["error"] as? [String: Any] ?? [:]
        #expect(error["code"] as? String == "invalid_records")
        let details = (error["details"] as? [[String: Any]] ?? []).map { "\($0["index"] as? Int ?? -1):\($0["field"] as? String ?? "")" }
        #expect(details == ["1:labels.bad name", "1:hidden", "2:item"])
        #expect(json(client.request("GET", "/items"))["items"] as? [Any] != nil)
        #expect((json(client.request("GET", "/items"))["items"] as? [Any])?.isEmpty == true, "nothing of the batch was stored")

        for (method, body, status) in [("PUT", "[1]", 400), ("PUT", "{", 400), ("PUT", #"{"item":"other"}"#, 400),
                                       ("PATCH", #"{"text": 5}"#, 400), ("PUT", #"{"labels":{"a":null}}"#, 400)] {
            let response = client.request(method, "/items/a", headers: jsonHeaders, body: Array(body.utf8))
            #expect(response?.status == status, "\(method) \(body)")
            #expect((json(response)["error"] as? [String: Any])?["code"] != nil)
        }
        #expect(client.request("PUT", "/items/a", headers: [("Content-Type", "text/plain")], body: Array("{}".utf8))?.status == 415)
        #expect(client.request("GET", "/items/a")?.status == 404)
        #expect(client.request("PUT", "/items/a", headers: jsonHeaders, body: Array(#"{"text":"ok"}"#.utf8))?.status == 200)
        #expect(json(client.request("GET", "/items/a"))["text"] as? String == "ok")
    }

    @Test func patchChangesOnlyWhatGetShowsAndAStoredRecordCanMakeAValidPatchConflict() throws {
        let server = try ServerProcess()
        defer { server.removeData() }
        let client = try server.client()
        let patchHeaders = [("Content-Type", "application/merge-patch+json")]
        #expect(client.request("PATCH", "/items/never-put", headers: patchHeaders, body: Array(#"{"hidden":true}"#.utf8))?.status == 404)
        #expect(client.request("PATCH", "/users/never-put", headers: patchHeaders, body: Array(#"{"labels":{}}"#.utf8))?.status == 404)
        #expect(client.request("GET", "/items/never-put")?.status == 404, "a refused PATCH creates nothing")

        let typo = client.request("PATCH", "/items/never-put", headers: patchHeaders, body: Array(#"{"hiden":null}"#.utf8))
        #expect(typo?.status == 400, "a removal of a field no record has is a typo, not a no-op")

        let full = (0..<64).map { #""l\#($0)":\#($0)"# }.joined(separator: ",")
        #expect(client.request("PUT", "/items/a", headers: jsonHeaders, body: Array(#"{"labels":{\#(full)}}"#.utf8))?.status == 200)
        let conflict = client.request("PATCH", "/items/a", headers: patchHeaders, body: Array(#"{"labels":{"extra":1}}"#.utf8))
        #expect(conflict?.status == 409)
        #expect((json(conflict)["error"] as? [String: Any])?["code"] as? String == "patch_conflict")
        let swapped = client.request("PATCH", "/items/a", headers: patchHeaders, body: Array(#"{"labels":{"l0":null,"extra":1}}"#.utf8))
        #expect(swapped?.status == 200)
        #expect((json(swapped)["labels"] as? [String: Any])?.count == 64)
        #expect(client.request("PUT", "/users/b", headers: jsonHeaders, body: Array(#"{"labels":{\#(full)}}"#.utf8))?.status == 200)
        #expect(client.request("PATCH", "/users/b", headers: patchHeaders, body: Array(#"{"labels":{"extra":1}}"#.utf8))?.status == 409)

        #expect(client.request("DELETE", "/items/a")?.status == 200)
        #expect(client.request("PATCH", "/items/a", headers: patchHeaders, body: Array(#"{"hidden":false}"#.utf8))?.status == 404,
                "a deleted item stays deleted until PUT")
        #expect(client.request("GET", "/items/a")?.status == 404)
        #expect(client.request("PUT", "/items/a", headers: jsonHeaders, body: Array("{}".utf8))?.status == 200)
        #expect(client.request("PATCH", "/items/a", headers: patchHeaders, body: Array(#"{"hidden":false}"#.utf8))?.status == 200)
    }

    @Test func optionsAndListingRefuseWhatTheOtherMethodsRefuse() throws {
        let server = try ServerProcess()
        defer { server.removeData() }
        let client = try server.client()
        #expect(client.request("OPTIONS", "/items/%01")?.status == 400)
        #expect(client.request("OPTIONS", "/users/%E2%80%8B")?.status == 400)
        #expect(client.request("OPTIONS", "/items/sku-1")?.status == 204)
        #expect(client.request("GET", "/items?category=%01")?.status == 400)
        #expect(client.request("GET", "/items?category=" + String(repeating: "c", count: 129))?.status == 400)
        for cursor in ["abc", "+1", "-0", "12345678901"] {
            #expect(client.request("GET", "/items?cursor=\(cursor)")?.status == 400, "\(cursor)")
        }
        let beyond = client.request("GET", "/items?cursor=9999999999")
        #expect(beyond?.status == 200 && (json(beyond)["items"] as? [Any])?.isEmpty == true && json(beyond)["cursor"] is NSNull)
    }

    @Test(EndToEndStore.sqliteOnly("it reads the SQLite file, its WAL and a backup for the erased bytes"))
    func erasureLeavesNothingOfTheUserInAnswersExportsBackupsOrTheFile() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        let marker = "erasable-person-42"
        var text = ""
        for index in 0..<30 { text += #"{"user":"\#(marker)","item":"i\#(index)","id":"erasable-event-\#(index)"}"# + "\n" }
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(text.utf8))?.status == 200)
        #expect(client.request("PUT", "/users/\(marker)", headers: jsonHeaders, body: Array(#"{"labels":{"note":"erasable-label"}}"#.utf8))?.status == 200)
        #expect(json(client.request("GET", "/users/\(marker)"))["events"] as? Int == 30)
        let personal = json(client.request("GET", "/users/\(marker)/recommendations?model=als"))
        #expect(personal["model"] as? String == "als")

        #expect(client.request("DELETE", "/users/\(marker)")?.status == 401, "erasure needs the admin token")
        let erased = client.request("DELETE", "/users/\(marker)", headers: adminHeaders)
        #expect(erased?.status == 200)
        #expect(json(erased)["events_deleted"] as? Int == 30 && json(erased)["user"] as? String == marker)
        #expect(client.request("GET", "/users/\(marker)")?.status == 404)
        let after = json(client.request("GET", "/users/\(marker)/recommendations"))
        #expect(["trending", "popular"].contains(after["model"] as? String ?? ""), "an erased user gets the fallback")
        #expect(client.request("DELETE", "/users/\(marker)", headers: adminHeaders)?.status == 404)

        let database = server.directory.appendingPathComponent("store.sqlite").path
        let exported = server.directory.appendingPathComponent("export.jsonl").path
        let backup = server.directory.appendingPathComponent("backup.sqlite").path
        #expect(try runRecsmith(["export", "--db", database, "--format", "jsonl", "--output", exported]).status == 0)
        #expect(try runRecsmith(["backup", "--db", database, backup]).status == 0)
        for file in [database, database + "-wal", exported, backup] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            for needle in [marker, "erasable-event-", "erasable-label"] {
                #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) is in \(file)")
            }
        }
    }

    @Test func concurrentPatchesOfOneRecordAllCount() throws {
        let server = try ServerProcess()
        defer { server.removeData() }
        let setup = try server.client()
        #expect(setup.request("PUT", "/items/shared", headers: jsonHeaders, body: Array("{}".utf8))?.status == 200)
        // Each patch adds a label of its own (60 in all, within the 64 a record holds): a lost update loses one.
        let rounds = 30
        let failures = Lock(0)
        // Each client is used by exactly one of the two threads.
        nonisolated(unsafe) let clients = [try server.client(), try server.client()]
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let client = clients[writer]
            for round in 0..<rounds {
                let patch = #"{"labels": {"w\#(writer)-\#(round)": true}}"#
                if client.request("PATCH", "/items/shared", headers: jsonHeaders, body: Array(patch.utf8))?.status != 200 {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let labels = json(setup.request("GET", "/items/shared"))["labels"] as? [String: Bool] ?? [:]
        #expect(labels.count == 2 * rounds, "\(2 * rounds - labels.count) patches were lost")
    }

    @Test func userRecordsAreKeptAndMerged() throws {
        let server = try ServerProcess()
        defer { server.removeData() }
        let client = try server.client()
        let created = client.request("PUT", "/users/alice", headers: jsonHeaders, body: Array(#"{"labels":{"tier":"gold","age":31}}"#.utf8))
        #expect(json(created)["created"] as? Bool == true)
        let patched = json(client.request("PATCH", "/users/alice", headers: jsonHeaders, body: Array(#"{"labels":{"age":null,"city":"Oslo"}}"#.utf8)))
        #expect(patched["labels"] as? [String: String] == ["tier": "gold", "city": "Oslo"])
        #expect(json(client.request("GET", "/users/alice"))["events"] as? Int == 0)
        #expect(client.request("GET", "/users/bob")?.status == 404)
        #expect(client.request("PUT", "/users/alice", headers: jsonHeaders, body: Array(#"{"labels":[]}"#.utf8))?.status == 400)
    }
}
