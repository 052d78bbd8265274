import Foundation
import Glibc
import SyntheticData
import Testing
import TestSupport

/// NDJSON for synthetic events: users `u<n>`, items `i<n>`, ids `e<n>` when `withIDs`.
private func ndjson(_ events: [SyntheticEvents.Event], withIDs: Bool = false, idOffset: Int = 0) -> [UInt8] {
    var text = ""
    for (index, event) in events.enumerated() {
        let id = withIDs ? #","id":"e\#(index + idOffset)""# : ""
        text += #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp)),"weight":\#(event.weight)\#(id)}"#
        text += "\n"
    }
    return Array(text.utf8)
}

private let ndjsonHeaders = [("Content-Type", "application/x-ndjson")]
private let jsonHeaders = [("Content-Type", "application/json")]
private let adminHeaders = [("Authorization", "Bearer \(ServerProcess.adminToken)")]

/// Posts `/retrain` and polls the job until it ends; returns its final JSON.
@Suite(.serialized)
struct ServeTests {
    let generator = SyntheticEvents(userCount: 120, itemCount: 300, eventCount: 4000, seed: 3)

    @Test func servesTheContractEndToEnd() throws {
        let server = try ServerProcess()
        defer { server.removeData() }
        let client = try server.client()

        #expect(client.request("GET", "/healthz")?.status == 200)
        #expect(client.request("GET", "/readyz")?.status == 503)
        #expect(client.request("GET", "/users/u1/recommendations")?.status == 503)

        let posted = client.request("POST", "/events", headers: ndjsonHeaders, body: ndjson(generator.events()))
        #expect(posted?.status == 200)
        #expect(json(posted)["accepted"] as? Int == 4000)

        #expect(client.request("POST", "/retrain")?.status == 401)
        let wrong = client.request("POST", "/retrain", headers: [("Authorization", "Bearer nope")])
        #expect(wrong?.status == 401)
        #expect(wrong?.header("www-authenticate")?.hasPrefix("Bearer") == true)
        let job = finishedRetrain(client)
        #expect(job["status"] as? String == "succeeded")

        #expect(client.request("GET", "/readyz")?.status == 200)
        let models = json(client.request("GET", "/models"))["models"] as? [[String: Any]] ?? []
        #expect(Set(models.compactMap { $0["name"] as? String }) == ["als", "bpr", "itemknn", "trending", "popular"])

        let seen = Set(generator.events().filter { $0.user == 1 }.map { "i\($0.item)" })
        let answer = client.request("GET", "/users/u1/recommendations?k=5")
        #expect(answer?.status == 200)
        #expect(answer?.header("cache-control") == "no-store")
        #expect(json(answer)["model"] as? String == "als")
        let items = itemIDs(answer)
        #expect(items.count == 5)
        #expect(seen.isDisjoint(with: items))

        let top = try #require(items.first)
        #expect(!itemIDs(client.request("GET", "/users/u1/recommendations?k=5&exclude=\(top)")).contains(top))
        let fresh = #"{"user":"u1","item":"\#(top)","type":"purchase"}"#
        #expect(client.request("POST", "/events", headers: jsonHeaders, body: Array(fresh.utf8))?.status == 200)
        #expect(!itemIDs(client.request("GET", "/users/u1/recommendations?k=5")).contains(top))

        for kind in ["bpr", "itemknn", "trending", "popular"] {
            let other = client.request("GET", "/users/u1/recommendations?k=5&model=\(kind)")
            #expect(json(other)["model"] as? String == kind)
            #expect(seen.isDisjoint(with: itemIDs(other)))
        }

        let stranger = json(client.request("GET", "/users/nobody/recommendations?k=3"))
        #expect(stranger["model"] as? String == "trending")
        #expect((stranger["items"] as? [Any])?.count == 3)

        let newcomer = (0..<5).map { #"{"user":"newcomer","item":"i\#($0 * 7)"}"# }.joined(separator: "\n")
        #expect(client.request("POST", "/events", headers: ndjsonHeaders, body: Array(newcomer.utf8))?.status == 200)
        let folded = client.request("GET", "/users/newcomer/recommendations?k=5")
        #expect(json(folded)["model"] as? String == "als")
        #expect(Set(itemIDs(folded)).isDisjoint(with: (0..<5).map { "i\($0 * 7)" }))
        #expect(itemIDs(folded) != itemIDs(client.request("GET", "/users/nobody/recommendations?k=5")))

        let similar = client.request("GET", "/items/i1/similar?k=4")
        #expect(similar?.status == 200)
        #expect(json(similar)["model"] as? String == "itemknn")
        #expect(!itemIDs(similar).contains("i1"))
        #expect(itemIDs(similar).count == 4)
        #expect(json(client.request("GET", "/items/i1/similar?k=4&model=als"))["model"] as? String == "als")
        #expect(client.request("GET", "/items/unknown-item/similar")?.status == 404)

        for query in ["k=0", "k=1001", "k=abc", "k=", "model=nope", "k=3&k=4", "exclude=a,,b", "exclude=,", "exclude="] {
            let bad = client.request("GET", "/users/u1/recommendations?\(query)")
            #expect(bad?.status == 400, "query \(query)")
            #expect(json(bad)["error"] != nil)
        }
        #expect(client.request("GET", "/users/u1/recommendations?k=1000")?.status == 200)

        let metrics = client.request("GET", "/metrics")
        #expect(metrics?.header("content-type")?.hasPrefix("text/plain") == true)
        #expect(metrics?.text.contains("recsmith_http_requests_total") == true)
        #expect(metrics?.text.contains("recsmith_events_accepted_total 4006") == true)

        #expect(server.terminate() == 0)
    }

    @Test func rejectsBadInputClearlyAndKeepsServing() throws {
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        let client = try server.client()
        let cases: [(body: String, type: String, status: Int, code: String)] = [
            (#"{"user":"u","item":"i""#, "application/json", 400, "invalid_json"),
            (#"{"user":"u","item":"i",}"#, "application/json", 400, "invalid_json"),
            ("not json", "application/json", 400, "invalid_json"),
            (#"{"user":1,"item":"i"}"#, "application/json", 400, "invalid_events"),
            (#"{"user":"","item":"i"}"#, "application/json", 400, "invalid_events"),
            (#"{"user":"u"}"#, "application/json", 400, "invalid_events"),
            (#"{"user":"\#(String(repeating: "x", count: 257))","item":"i"}"#, "application/json", 400, "invalid_events"),
            (#"{"user":"u","item":"i","weight":-1}"#, "application/json", 400, "invalid_events"),
            (#"{"user":"u","item":"i","type":"teleport"}"#, "application/json", 400, "invalid_events"),
            (#"{"user":"u","item":"i","timestamp":"yesterday"}"#, "application/json", 400, "invalid_events"),
            (#"{"user":"u","item":"i"}"#, "text/plain", 415, "unsupported_media_type"),
        ]
        for entry in cases {
            let response = client.request("POST", "/events", headers: [("Content-Type", entry.type)], body: Array(entry.body.utf8))
            #expect(response?.status == entry.status, "\(entry.body)")
            #expect((json(response)["error"] as? [String: Any])?["code"] as? String == entry.code, "\(entry.body)")
        }

        let batch = #"[{"user":"a","item":"x","id":"k1"},{"user":"","item":"y","id":"k2"},{"item":"z","id":"k3"}]"#
        let refused = json(client.request("POST", "/events", headers: jsonHeaders, body: Array(batch.utf8)))
        let details = (refused["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []
        #expect(details.compactMap { $0["index"] as? Int } == [1, 2])
        #expect(details.compactMap { $0["field"] as? String } == ["user", "user"])
        let valid = #"[{"user":"a","item":"x","id":"k1"},{"user":"b","item":"y","id":"k2"},{"user":"b","item":"y","id":"k2"}]"#
        let stored = json(client.request("POST", "/events", headers: jsonHeaders, body: Array(valid.utf8)))
        #expect(stored["accepted"] as? Int == 2)
        #expect(stored["duplicates"] as? Int == 1)
        let again = json(client.request("POST", "/events", headers: jsonHeaders, body: Array(valid.utf8)))
        #expect(again["accepted"] as? Int == 0)
        #expect(again["duplicates"] as? Int == 3)

        client.send("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\r\n")
        #expect(client.readResponse()?.status == 411)
        let huge = try server.client()
        huge.send("POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9000000\r\n\r\n")
        #expect(huge.readResponse()?.status == 413)
        let tooMany = (0..<10_001).map { #"{"user":"u","item":"i\#($0)"}"# }.joined(separator: "\n")
        #expect(try server.client().request("POST", "/events", headers: ndjsonHeaders, body: Array(tooMany.utf8))?.status == 413)

        #expect(client.request("GET", "/nope")?.status == 404)
        #expect(client.request("DELETE", "/events")?.status == 405)
        #expect(client.request("GET", "/users/\(String(repeating: "u", count: 300))/recommendations")?.status == 400)
        #expect(client.request("HEAD", "/healthz")?.status == 200)
        #expect(try server.client().request("GET", "/healthz")?.status == 200)

        // The HTTP layer's limits, each on a connection of its own: the status, the error JSON, and the
        // server serving the next connection.
        let overLimits: [(request: String, status: Int, code: String)] = [
            ("GET /healthz?pad=\(String(repeating: "x", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
            ("GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-Field-\($0): v\r\n" }.joined() + "\r\n",
             431, "header_fields_too_large"),
            ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Large: \(String(repeating: "v", count: 17_000))\r\n\r\n",
             431, "header_fields_too_large"),
            ("GET /healthz HTTP/1.2\r\nHost: x\r\n\r\n", 505, "http_version_not_supported"),
        ]
        for entry in overLimits {
            let connection = try server.client()
            connection.send(entry.request)
            let response = connection.readResponse()
            #expect(response?.status == entry.status, "\(entry.code)")
            #expect(response?.header("content-type")?.hasPrefix("application/json") == true, "\(entry.code)")
            let error = json(response)["error"] as? [String: Any]
            #expect(error?["code"] as? String == entry.code)
            #expect((error?["message"] as? String)?.isEmpty == false, "\(entry.code)")
            #expect(try server.client().request("GET", "/healthz")?.status == 200, "serving after \(entry.code)")
        }
        #expect(server.terminate() == 0)
    }

    @Test func apiKeyAndRateLimitGuardTheApiButNotTheProbes() throws {
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-key-\(UUID().uuidString)")
        try "e2e-api-key\n".write(to: keyFile, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let server = try ServerProcess(arguments: ["--models", "popular", "--api-key-file", keyFile.path,
                                                   "--rate-limit", "1", "--rate-limit-burst", "3"])
        defer { server.removeData() }
        let client = try server.client()
        let refused = client.request("GET", "/models")
        #expect(refused?.status == 401)
        #expect((json(refused)["error"] as? [String: Any])?["code"] as? String == "unauthorized")
        let keyed = [("X-API-Key", "e2e-api-key")]
        #expect(client.request("GET", "/models", headers: keyed)?.status == 200)
        #expect(client.request("GET", "/models", headers: [("Authorization", "Bearer e2e-api-key")])?.status == 200)
        #expect(client.request("GET", "/models", headers: keyed)?.status == 200)
        let limited = client.request("GET", "/models", headers: keyed)
        #expect(limited?.status == 429)
        #expect(limited?.header("retry-after") != nil)
        #expect((json(limited)["error"] as? [String: Any])?["code"] as? String == "too_many_requests")
        for _ in 0..<5 { #expect(client.request("GET", "/healthz")?.status == 200) }
        #expect(client.request("GET", "/metrics")?.status == 200)
        #expect(server.terminate() == 0)
    }

    @Test func credentialsAreCheckedBeforeTheRateLimit() throws {
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-key-\(UUID().uuidString)")
        try "e2e-api-key\n".write(to: keyFile, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let server = try ServerProcess(arguments: ["--models", "popular", "--api-key-file", keyFile.path,
                                                   "--rate-limit", "0.2", "--rate-limit-burst", "2"])
        defer { server.removeData() }
        let client = try server.client()
        let keyed = [("X-API-Key", "e2e-api-key")]
        #expect(client.request("GET", "/models", headers: keyed)?.status == 200)
        #expect(client.request("GET", "/models", headers: keyed)?.status == 200)
        #expect(client.request("GET", "/models", headers: keyed)?.status == 429)
        #expect(client.request("POST", "/retrain", headers: keyed + adminHeaders)?.status == 429)
        // The bucket is empty, yet what lacks credentials is told so: 401, never 429.
        let noKey = client.request("POST", "/retrain", headers: adminHeaders)
        #expect(noKey?.status == 401)
        #expect(noKey?.header("www-authenticate")?.hasPrefix("Bearer") == true)
        let noToken = client.request("POST", "/retrain", headers: keyed)
        #expect(noToken?.status == 401)
        #expect((json(noToken)["error"] as? [String: Any])?["message"] as? String == "a valid admin bearer token is required")
        // Two failures used up this address's failure bucket: it is locked out, and even the right credentials
        // get the same 401 (with Retry-After) until the bucket refills.
        let lockedOut = client.request("GET", "/retrain/job-1", headers: keyed + adminHeaders)
        #expect(lockedOut?.status == 401)
        #expect(lockedOut?.header("retry-after") != nil)
        #expect(client.request("GET", "/models", headers: [("X-API-Key", "guess")])?.status == 401)
        #expect(client.request("GET", "/healthz")?.status == 200)
        #expect(server.terminate() == 0)
    }

    @Test func refusesUnknownQueryParameters() throws {
        let server = try ServerProcess(arguments: ["--models", "popular,itemknn"])
        defer { server.removeData() }
        let client = try server.client()
        let events = (0..<30).map { #"{"user":"u\#($0 % 5)","item":"i\#($0 % 7)"}"# }.joined(separator: "\n")
        #expect(client.request("POST", "/events", headers: ndjsonHeaders, body: Array(events.utf8))?.status == 200)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        for target in ["/users/u1/recommendations?a=1", "/users/u1/recommendations?k=3&K=4", "/users/u1/recommendations?excludes=i1",
                       "/users/u1/recommendations?=3", "/items/i1/similar?exclude=i2",
                       "/items/i1/similar?k=3&model=itemknn&extra"] {
            let refused = client.request("GET", target)
            #expect(refused?.status == 400, "\(target)")
            let error = json(refused)["error"] as? [String: Any]
            #expect(error?["code"] as? String == "unknown_parameter", "\(target)")
        }
        // The trailing `&` of `k=3&` is an empty item, which is no parameter at all.
        #expect(client.request("GET", "/users/u1/recommendations?k=3&")?.status == 200)
        let named = json(client.request("GET", "/users/u1/recommendations?color=red"))["error"] as? [String: Any]
        #expect((named?["message"] as? String)?.contains("\"color\"") == true)
        #expect(client.request("HEAD", "/users/u1/recommendations?color=red")?.status == 400)
        #expect(client.request("GET", "/users/u1/recommendations?k=3&model=popular&exclude=i1")?.status == 200)
        #expect(client.request("GET", "/items/i1/similar?k=3&model=itemknn")?.status == 200)
        #expect(server.terminate() == 0)
    }

    @Test func refusesInvisibleAndControlCharacterIDsAndStoresNothing() throws {
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        let client = try server.client()
        for body in [#"[{"user":"u1","item":"i1"},{"user":"\u200b","item":"i2"}]"#, #"{"user":"u1","item":"\ufeff\u00ad"}"#,
                     #"{"user":"u1","item":"   "}"#, #"{"user":"u\u0007","item":"i1"}"#, #"{"user":"u1","item":"i1","id":"\u0085"}"#] {
            let refused = client.request("POST", "/events", headers: jsonHeaders, body: Array(body.utf8))
            #expect(refused?.status == 400, "\(body)")
            let error = json(refused)["error"] as? [String: Any]
            #expect(error?["code"] as? String == "invalid_events", "\(body)")
            #expect((error?["details"] as? [[String: Any]])?.count == 1, "\(body)")
        }
        let export = try runRecsmith(["export"] + server.storeArguments)
        #expect(export.output == "user,item,timestamp,weight,type,id,recommendation_id\n", "nothing from a refused batch is stored")

        #expect(client.request("POST", "/events", headers: jsonHeaders, body: Array(#"{"user":"u1","item":"i1"}"#.utf8))?.status == 200)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        for target in ["/users/%E2%80%8B/recommendations", "/users/%20%20/recommendations", "/users/a%01b/recommendations",
                       "/users/%C2%85/recommendations", "/items/%EF%BB%BF/similar", "/users/u1/recommendations?exclude=i1,%E2%80%8B",
                       "/users/u1/recommendations?exclude=%7F"] {
            let refused = client.request("GET", target)
            #expect(refused?.status == 400, "\(target)")
            #expect((json(refused)["error"] as? [String: Any])?["code"] as? String == "bad_request", "\(target)")
        }
        // OPTIONS refuses the ids GET refuses, and still answers 204 for good ones.
        let long = String(repeating: "u", count: 257)
        #expect(client.request("OPTIONS", "/users/\(long)/recommendations")?.status == 400)
        #expect(client.request("OPTIONS", "/items/%E2%80%8B/similar")?.status == 400)
        let options = client.request("OPTIONS", "/users/u1/recommendations")
        #expect(options?.status == 204)
        #expect(options?.header("allow") == "GET, HEAD, OPTIONS")
        #expect(server.terminate() == 0)
    }

    @Test func acceptsTimestampsBefore1970AndExportsThem() throws {
        let server = try ServerProcess(arguments: ["--models", "popular,trending"])
        defer { server.removeData() }
        let client = try server.client()
        let body = [#"{"user":"u1","item":"i1","timestamp":"0141-12-15T22:51:50-13:10"}"#, #"{"user":"u1","item":"i2","timestamp":-1.5}"#,
                    #"{"user":"u2","item":"i1","timestamp":"-86400"}"#, #"{"user":"u2","item":"i3","timestamp":"0000-01-01T00:00:00+23:59"}"#]
            .joined(separator: "\n")
        let posted = client.request("POST", "/events", headers: ndjsonHeaders, body: Array(body.utf8))
        #expect(posted?.status == 200)
        #expect(json(posted)["accepted"] as? Int == 4)
        let tooEarly = client.request("POST", "/events", headers: jsonHeaders, body: Array(#"{"user":"u","item":"i","timestamp":-62167305541}"#.utf8))
        #expect(tooEarly?.status == 400)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        let trending = client.request("GET", "/users/new/recommendations?model=trending&k=3")
        #expect(itemIDs(trending) == ["i2", "i1", "i3"])

        let export = try runRecsmith(["export"] + server.storeArguments)
        let times = export.output.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[2]) }
        #expect(times == ["-57687422290", "-1.5", "-86400", "-62167305540"])
        #expect(server.terminate() == 0)
    }

    @Test func accessLogWritesOneJSONLinePerRequestWithoutSecrets() throws {
        let server = try ServerProcess(arguments: ["--models", "popular", "--access-log", "--log-format", "json", "--log-level", "info"])
        defer { server.removeData() }
        let client = try server.client()
        #expect(client.request("GET", "/healthz?probe=1")?.status == 200)
        #expect(client.request("POST", "/events", headers: jsonHeaders + [("Authorization", "Bearer not-logged")],
                               body: Array(#"{"user":"u1","item":"i1"}"#.utf8))?.status == 200)
        #expect(server.terminate() == 0)
        let lines = try String(contentsOf: server.logFile, encoding: .utf8).split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(objects.count == lines.count, "every line is one JSON object")
        let requests = objects.filter { $0["msg"] == "request" }
        #expect(requests.map { $0["path"] } == ["/healthz", "/events"])
        #expect(requests.map { $0["status"] } == ["200", "200"])
        #expect(requests.last?["route"] == "/events")
        #expect(requests.last?["peer"] == "127.0.0.1")
        #expect(Int(requests.last?["bytes_in"] ?? "") == 25)
        let text = lines.joined()
        #expect(!text.contains("not-logged"))
        #expect(!text.contains("probe=1"))
        #expect(!text.contains(#"\"item\""#))
    }

    @Test func metricsParseAsPrometheusTextAndMoveWithTraffic() throws {
        let server = try ServerProcess(arguments: ["--models", "als,popular", "--set", "als.factors=8"])
        defer { server.removeData() }
        let client = try server.client()
        let scrape = { () throws -> PrometheusText in try PrometheusText(client.request("GET", "/metrics")?.text ?? "") }
        let before = try scrape()
        for name in ["recsmith_process_start_time_seconds", "recsmith_build_info", "recsmith_store_events_count",
                     "recsmith_store_size_bytes", "recsmith_http_open_connections_count", "recsmith_model_age_seconds"] {
            #expect(before.types[name] == "gauge", "\(name)")
        }
        #expect(before.value("recsmith_http_open_connections_count") ?? 0 >= 1)

        let events = (0..<40).map { #"{"user":"u\#($0 % 8)","item":"i\#($0 % 13)"}"# }.joined(separator: "\n")
        #expect(client.request("POST", "/events", headers: ndjsonHeaders, body: Array(events.utf8))?.status == 200)
        #expect(client.request("POST", "/events", headers: jsonHeaders, body: Array(#"{"user":"u1"}"#.utf8))?.status == 400)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        #expect(client.request("GET", "/users/u1/recommendations?k=3")?.status == 200)

        let after = try scrape()
        #expect(after.value("recsmith_events_accepted_total") == 40)
        #expect(after.value("recsmith_events_rejected_total") == 1)
        #expect(after.value("recsmith_store_events_count") == 40)
        #expect(after.value("recsmith_store_size_bytes") ?? 0 > 0)
        #expect(after.total("recsmith_store_commit_events_count") >= 1)
        #expect(after.total("recsmith_store_commit_duration_seconds_count") >= 1)
        #expect(after.total("recsmith_http_requests_total", matching: ["route": "/events", "status": "200"]) == 1)
        #expect(after.total("recsmith_http_requests_total", matching: ["route": "/events", "status": "400"]) == 1)
        #expect(after.total("recsmith_http_request_body_bytes_total", matching: ["route": "/events"]) == Double(events.utf8.count + 13))
        #expect(after.total("recsmith_http_response_body_bytes_total", matching: ["route": "/users/{user}/recommendations"]) > 0)
        #expect(after.total("recsmith_http_request_duration_seconds_count", matching: ["route": "/users/{user}/recommendations"]) == 1)
        #expect(after.value("recsmith_training_passes_total") == 1)
        #expect(after.value("recsmith_model_factors_count", ["model": "als"]) == 8)
        #expect(after.value("recsmith_model_users_count", ["model": "als"]) == 8)
        for phase in ["read", "matrix", "als", "popular", "persist"] {
            #expect(after.value("recsmith_training_phase_duration_seconds", ["phase": phase]) != nil, "\(phase)")
        }
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for family in after.types.keys {
            #expect(readme.contains("`\(family)`"), "README.md documents \(family)")
        }
        #expect(server.terminate() == 0)
    }

    @Test func excludeListsSplitOnLiteralCommasOnly() throws {
        let server = try ServerProcess(arguments: ["--models", "popular"])
        defer { server.removeData() }
        let client = try server.client()
        let events = ["a,b", "a", "b", "c"].enumerated().flatMap { rank, item in
            (0...(4 - rank)).map { #"{"user":"u\#($0)","item":"\#(item)"}"# }
        }.joined(separator: "\n")
        #expect(client.request("POST", "/events", headers: ndjsonHeaders, body: Array(events.utf8))?.status == 200)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        #expect(itemIDs(client.request("GET", "/users/new/recommendations?k=4")) == ["a,b", "a", "b", "c"])
        #expect(itemIDs(client.request("GET", "/users/new/recommendations?k=4&exclude=a%2Cb")) == ["a", "b", "c"])
        #expect(itemIDs(client.request("GET", "/users/new/recommendations?k=4&exclude=a,b")) == ["a,b", "c"])
        #expect(server.terminate() == 0)
    }

    @Test func restartServesPersistedModelsAtOnce() throws {
        let first = try ServerProcess(arguments: ["--models", "itemknn,popular"])
        defer { first.removeData() }
        let client = try first.client()
        #expect(client.request("POST", "/events", headers: ndjsonHeaders, body: ndjson(generator.events()))?.status == 200)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        let before = itemIDs(client.request("GET", "/users/u2/recommendations?k=5"))
        #expect(first.terminate() == 0)

        let second = try ServerProcess(arguments: ["--models", "itemknn,popular"], directory: first.directory)
        let again = try second.client()
        #expect(again.request("GET", "/readyz")?.status == 200)
        #expect(itemIDs(again.request("GET", "/users/u2/recommendations?k=5")) == before)
        #expect(second.terminate() == 0)
    }

    @Test func acknowledgedEventsSurviveKill9() throws {
        let first = try ServerProcess(arguments: ["--models", "popular"])
        defer { first.removeData() }
        let events = Array(generator.events().prefix(500))
        var acknowledged = 0
        for batch in stride(from: 0, to: events.count, by: 50) {
            let client = try first.client()
            let body = ndjson(Array(events[batch..<min(batch + 50, events.count)]), withIDs: true, idOffset: batch)
            if client.request("POST", "/events", headers: ndjsonHeaders, body: body)?.status == 200 { acknowledged += 50 }
        }
        #expect(acknowledged == 500)
        first.kill9()
        let second = try ServerProcess(arguments: ["--models", "popular"], directory: first.directory)
        let resent = json(try second.client().request("POST", "/events", headers: ndjsonHeaders, body: ndjson(events, withIDs: true)))
        #expect(resent["accepted"] as? Int == 0)
        #expect(resent["duplicates"] as? Int == 500)
        #expect(second.terminate() == 0)
    }

    @Test(.enabled(if: movieLensPath != nil, Comment(rawValue: MovieLensFiles.skipMessage("events.csv"))))
    func recommendsFromMovieLensLoadedOverHTTP() throws {
        let lines = try String(contentsOfFile: movieLensPath!, encoding: .utf8).split(separator: "\n").dropFirst()
        let server = try ServerProcess(arguments: ["--models", "itemknn,trending,popular"])
        defer { server.removeData() }
        let client = try server.client()
        var accepted = 0
        var seenByUserOne: Set<String> = []
        for start in stride(from: 0, to: lines.count, by: 10_000) {
            var body = ""
            for line in lines[(lines.startIndex + start)..<min(lines.startIndex + start + 10_000, lines.endIndex)] {
                let fields = line.split(separator: ",")
                if fields[0] == "1" { seenByUserOne.insert(String(fields[1])) }
                body += #"{"user":"\#(fields[0])","item":"\#(fields[1])","timestamp":\#(fields[2]),"type":"rating","value":\#(fields[3])}"#
                body += "\n"
            }
            accepted += json(client.request("POST", "/events", headers: ndjsonHeaders, body: Array(body.utf8)))["accepted"] as? Int ?? 0
        }
        #expect(accepted == 100_836)
        #expect(finishedRetrain(client)["status"] as? String == "succeeded")
        let answer = client.request("GET", "/users/1/recommendations?k=20")
        #expect(json(answer)["model"] as? String == "itemknn")
        #expect(itemIDs(answer).count == 20)
        #expect(seenByUserOne.isDisjoint(with: itemIDs(answer)))
        let similar = itemIDs(client.request("GET", "/items/1/similar?k=10"))
        #expect(similar.count == 10)
        #expect(!similar.contains("1"))
        #expect(server.terminate() == 0)
    }
}
