import Foundation
import Glibc
import SyntheticData
import Testing
import TestSupport

private let adminHeaders = [("Authorization", "Bearer \(ServerProcess.adminToken)")]

/// The dashboard's admin JSON over HTTP on a real server: behind the admin token, live from the store, the same
/// answers as the API, bad input refused with the error JSON, and no markup in any answer.
@Suite(.serialized)
struct DashboardServeTests {
    /// 80 users, 120 items (records for the first 100, `i7` hidden), trained itemknn, als and popular, and content.
    static func trainedServer(arguments: [String] = []) throws -> (ServerProcess, TestClient) {
        let server = try ServerProcess(arguments: ["--models", "itemknn,als,content,popular", "--set", "als.factors=8"] + arguments)
        let client = try server.client()
        let generator = SyntheticEvents(userCount: 80, itemCount: 120, eventCount: 3000, seed: 5)
        let now = Int(Date().timeIntervalSince1970)
        var text = ""
        for (position, event) in generator.events().enumerated() {
            // Within the last 3 days, a purchase every 10th event.
            let type = position % 10 == 0 ? "purchase" : "view"
            text += #"{"user":"u\#(event.user)","item":"i\#(event.item)","type":"\#(type)","timestamp":\#(now - position * 80)}"# + "\n"
        }
        let posted = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(text.utf8))
        #expect(posted?.status == 200, "\(posted?.text ?? "no answer")")
        let records = (0..<100).map { #"{"item":"i\#($0)","categories":["c\#($0 % 4)"],"text":"thing number \#($0)","hidden":\#($0 == 7)}"# }
        #expect(client.request("POST", "/items", headers: [("Content-Type", "application/json")],
                               body: Array("[\(records.joined(separator: ","))]".utf8))?.status == 200)
        finishedRetrain(client)
        return (server, client)
    }

    @Test func everyAdminRouteNeedsTheAdminToken() throws {
        let server = try ServerProcess()
        let client = try server.client()
        for path in ["/admin/overview", "/admin/models", "/admin/users/u1", "/admin/items/i1", "/admin/catalogue", "/admin/evaluation",
                     "/admin/metrics/online", "/admin/experiments", "/admin/experiments/nope"] {
            let response = client.request("GET", path)
            #expect(response?.status == 401, "\(path)")
            #expect(json(response)["error"] != nil)
            #expect(client.request("GET", path, headers: [("Authorization", "Bearer wrong-token-0123456789")])?.status == 401)
        }
        #expect(client.request("POST", "/admin/evaluation", body: Array("{}".utf8))?.status == 401)
        #expect(client.request("POST", "/admin/experiments/nope/stop", body: Array(#"{"winner":"x"}"#.utf8))?.status == 401)
        // The page itself holds no data: served to anyone, under a policy that allows nothing but this server.
        let page = try #require(client.request("GET", "/dashboard"))
        #expect(page.status == 200)
        #expect(page.header("content-security-policy") == "default-src 'self'")
        #expect(page.header("x-content-type-options") == "nosniff")
        for asset in ["/dashboard/dashboard.js", "/dashboard/dashboard.css", "/dashboard/report.css", "/dashboard/icon.svg"] {
            let response = client.request("GET", asset)
            #expect(response?.status == 200 && response?.header("content-security-policy") == "default-src 'self'", "\(asset)")
        }
        #expect(!server.log.contains(ServerProcess.adminToken))
        #expect(server.terminate() == 0)
    }

    @Test func overviewCountsWhatTheStoreHoldsLive() throws {
        let server = try ServerProcess()
        let client = try server.client()
        let hour = 3600 * (Int(Date().timeIntervalSince1970) / 3600)
        let events = [
            #"{"user":"a","item":"x","type":"view","timestamp":\#(hour + 5)}"#,
            #"{"user":"a","item":"y","type":"view","timestamp":\#(hour + 6)}"#,
            #"{"user":"b","item":"x","type":"purchase","timestamp":\#(hour - 3600)}"#,
            #"{"user":"b","item":"z","type":"view","timestamp":\#(hour - 2 * 86400)}"#,
        ]
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")],
                               body: Array(events.joined(separator: "\n").utf8))?.status == 200)
        // No pass is waited for: the figures come from the store.
        let overview = json(client.request("GET", "/admin/overview", headers: adminHeaders))
        #expect(overview["events"] as? Int == 4)
        #expect(overview["users"] as? Int == 2)
        #expect(overview["items"] as? Int == 3)
        let types = (overview["event_types"] as? [[String: Any]])?.map { "\($0["type"] ?? "")=\($0["events"] ?? "")" }
        #expect(types == ["view=3", "purchase=1"])
        let perHour = overview["events_per_hour"] as? [String: Any]
        let counts = perHour?["counts"] as? [Int] ?? []
        #expect(counts.count == 168)
        #expect(counts.last == 2 && counts.dropLast().last == 1 && counts[counts.count - 49] == 1)
        #expect(counts.reduce(0, +) == 4)
        let traffic = overview["traffic"] as? [String: Any]
        #expect((traffic?["requests"] as? Int ?? 0) >= 1, "the POST above is in the window")
        #expect(((traffic?["latency_ms"] as? [String: Any])?["p50"] as? Double ?? 0) > 0)

        #expect(server.terminate() == 0)
    }

    @Test func anOldDataSetShowsTheSevenDaysUpToItsLatestEvent() throws {
        let server = try ServerProcess()
        let client = try server.client()
        let old = [#"{"user":"c","item":"x","timestamp":86400}"#, #"{"user":"c","item":"y","timestamp":90000}"#]
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")],
                               body: Array(old.joined(separator: "\n").utf8))?.status == 200)
        let perHour = json(client.request("GET", "/admin/overview", headers: adminHeaders))["events_per_hour"] as? [String: Any]
        #expect(perHour?["latest_event_hour"] as? String == "1970-01-02T01:00:00Z")
        #expect(perHour?["end"] as? String == "1970-01-02T02:00:00Z")
        #expect((perHour?["counts"] as? [Int])?.suffix(2) == [1, 1])
        #expect(server.terminate() == 0)
    }

    @Test func userAndItemPagesGiveTheAnswersOfTheAPI() throws {
        let (server, client) = try Self.trainedServer()
        let user = json(client.request("GET", "/admin/users/u3?k=5", headers: adminHeaders))
        #expect(user["known"] as? Bool == true)
        let history = user["history"] as? [[String: Any]] ?? []
        #expect(history.count == min(50, user["events"] as? Int ?? 0))
        let times = history.compactMap { $0["timestamp"] as? String }
        #expect(times == times.sorted(by: >), "newest first")
        let answers = user["recommendations"] as? [[String: Any]] ?? []
        #expect(answers.compactMap { $0["model"] as? String } == ["itemknn", "als", "popular", "content"])
        for answer in answers {
            let model = answer["model"] as? String ?? ""
            let shown = (answer["items"] as? [[String: Any]])?.compactMap { $0["item"] as? String }
            #expect(shown == itemIDs(client.request("GET", "/users/u3/recommendations?k=5&model=\(model)")), "\(model)")
            #expect(shown?.contains("i7") == false, "hidden items stay hidden")
        }
        let filtered = json(client.request("GET", "/admin/users/u3?k=5&filter=" + #"categories HAS "c1""#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, headers: adminHeaders))
        for answer in filtered["recommendations"] as? [[String: Any]] ?? [] {
            let items = (answer["items"] as? [[String: Any]])?.compactMap { $0["item"] as? String } ?? []
            #expect(items.allSatisfy { Int($0.dropFirst())! % 4 == 1 }, "\(answer["model"] ?? "")")
        }

        let item = json(client.request("GET", "/admin/items/i3?k=5", headers: adminHeaders))
        #expect(item["known"] as? Bool == true)
        #expect((item["record"] as? [String: Any])?["text"] as? String == "thing number 3")
        let days = item["events_per_day"] as? [[String: Any]] ?? []
        #expect(days.compactMap { $0["events"] as? Int }.reduce(0, +) == item["events"] as? Int)
        for answer in item["similar"] as? [[String: Any]] ?? [] {
            let model = answer["model"] as? String ?? ""
            guard let items = answer["items"] as? [[String: Any]] else { continue }
            #expect(items.compactMap { $0["item"] as? String } == itemIDs(client.request("GET", "/items/i3/similar?k=5&model=\(model)")), "\(model)")
        }
        let unknown = json(client.request("GET", "/admin/users/nobody", headers: adminHeaders))
        #expect(unknown["known"] as? Bool == false)
        #expect((unknown["recommendations"] as? [[String: Any]])?.isEmpty == false, "what a new user gets")

        let models = json(client.request("GET", "/admin/models", headers: adminHeaders))
        let pass = (models["passes"] as? [[String: Any]])?.first
        #expect(pass?["status"] as? String == "succeeded")
        #expect(pass?["version"] as? String == models["version"] as? String)
        let phases = (pass?["phases"] as? [[String: Any]])?.compactMap { $0["phase"] as? String } ?? []
        #expect(phases.contains("read") && phases.contains("als") && phases.contains("persist"))
        #expect(server.terminate() == 0)
    }

    @Test func catalogueSearchFindsByTextAndState() throws {
        let (server, client) = try Self.trainedServer()
        let hidden = json(client.request("GET", "/admin/catalogue?state=hidden", headers: adminHeaders))
        #expect((hidden["items"] as? [[String: Any]])?.compactMap { $0["item"] as? String } == ["i7"])
        let counts = hidden["counts"] as? [String: Int]
        #expect(counts?["hidden"] == 1 && counts?["visible"] == 119)
        let found = json(client.request("GET", "/admin/catalogue?q=NUMBER%2042", headers: adminHeaders))
        #expect((found["items"] as? [[String: Any]])?.compactMap { $0["item"] as? String } == ["i42"])
        var seen: [String] = []
        var cursor: String? = "0"
        while let next = cursor, seen.count < 500 {
            let page = json(client.request("GET", "/admin/catalogue?limit=50&cursor=\(next)", headers: adminHeaders))
            seen += (page["items"] as? [[String: Any]])?.compactMap { $0["item"] as? String } ?? []
            cursor = page["cursor"] as? String
        }
        #expect(seen.count == 120 && Set(seen).count == 120, "pages cover every item once")
        #expect(server.terminate() == 0)
    }

    @Test func badInputGetsTheErrorJSONAndTheServerKeepsServing() throws {
        let server = try ServerProcess()
        let client = try server.client()
        let cases: [(String, Int, String)] = [
            ("/admin/overview?x=1", 400, "unknown_parameter"),
            ("/admin/users/u1?k=0", 400, "bad_request"),
            ("/admin/users/u1?k=abc", 400, "bad_request"),
            ("/admin/users/u1?filter=price%20%3C", 400, "invalid_filter"),
            ("/admin/users/%E2%80%8B", 400, "bad_request"),
            ("/admin/items/i1?limit=3", 400, "unknown_parameter"),
            ("/admin/catalogue?state=gone", 400, "bad_request"),
            ("/admin/catalogue?limit=100000", 400, "bad_request"),
            ("/admin/catalogue?cursor=-1", 400, "bad_request"),
            ("/admin/catalogue?cursor=12345678901", 400, "bad_request"),
        ]
        for (path, status, code) in cases {
            let response = client.request("GET", path, headers: adminHeaders)
            #expect(response?.status == status, "\(path)")
            #expect((json(response)["error"] as? [String: Any])?["code"] as? String == code, "\(path): \(response?.text ?? "")")
        }
        for body in ["not json", "{}", #"{"protocol":"someone-else-v9"}"#, "[1,2,3]"] {
            let response = client.request("POST", "/admin/evaluation", headers: adminHeaders + [("Content-Type", "application/json")],
                                          body: Array(body.utf8))
            #expect(response?.status == 400, "\(body)")
            #expect((json(response)["error"] as? [String: Any])?["code"] as? String == "invalid_report")
        }
        #expect(json(client.request("GET", "/admin/evaluation", headers: adminHeaders))["kind"] is NSNull, "nothing was kept")
        #expect(client.request("GET", "/healthz")?.status == 200)
        #expect(server.terminate() == 0)
    }

    @Test func onlineRoutesRefuseBadInputAndAStopThatFailsChangesNothing() throws {
        let shop = #"[{name: shop, variants: [{name: control, model: popular, weight: 50}, {name: personal, model: als, weight: 50}]}]"#
        let server = try ServerProcess(arguments: ["--models", "als,popular", "--retrain-interval", "0", "--set", "experiments=\(shop)"])
        defer { server.removeData() }
        let client = try server.client()
        let cases: [(String, Int, String)] = [
            ("/admin/metrics/online?window=2h", 400, "bad_request"),
            ("/admin/metrics/online?window=", 400, "bad_request"),
            ("/admin/metrics/online?window=1h&window=7d", 400, "bad_request"),
            ("/admin/metrics/online?from=0", 400, "unknown_parameter"),
            ("/admin/experiments?status=running", 400, "unknown_parameter"),
            ("/admin/experiments/nope", 404, "unknown_experiment"),
            ("/admin/experiments/%E2%80%8B", 400, "bad_request"),
        ]
        for (path, status, code) in cases {
            let response = client.request("GET", path, headers: adminHeaders)
            #expect(response?.status == status, "\(path)")
            #expect((json(response)["error"] as? [String: Any])?["code"] as? String == code, "\(path): \(response?.text ?? "")")
        }
        let stops: [(String, String, Int, String)] = [
            ("shop", "not json", 400, "invalid_json"),
            ("shop", "{}", 400, "bad_request"),
            ("shop", #"["personal"]"#, 400, "bad_request"),
            ("shop", #"{"winner":7}"#, 400, "bad_request"),
            ("shop", #"{"winner":"personal","at":"now"}"#, 400, "bad_request"),
            ("shop", #"{"winner":"nobody"}"#, 400, "unknown_variant"),
            ("nope", #"{"winner":"personal"}"#, 404, "unknown_experiment"),
        ]
        for (name, body, status, code) in stops {
            let response = client.request("POST", "/admin/experiments/\(name)/stop", headers: adminHeaders + [("Content-Type", "application/json")],
                                          body: Array(body.utf8))
            #expect(response?.status == status, "\(name) \(body)")
            #expect((json(response)["error"] as? [String: Any])?["code"] as? String == code, "\(name) \(body): \(response?.text ?? "")")
        }
        // Nothing was stopped: the experiment still runs and still assigns.
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/json")], body: Array(#"[{"user":"a","item":"x"}]"#.utf8))?.status == 200)
        #expect(json(client.request("GET", "/users/u1/recommendations"))["experiment"] as? String == "shop")
        let report = json(client.request("GET", "/admin/experiments/shop", headers: adminHeaders))
        #expect(report["status"] as? String == "running" && report["winner"] is NSNull && report["stopped_at"] is NSNull)
        // One list is below the burn-in: the p-value is 1 and the answer says how many lists the test needs.
        let comparison = report["comparison"] as? [String: Any]
        #expect(comparison?["p_value"] as? Double == 1 && comparison?["minimum_lists"] as? Int == 200 && comparison?["test"] as? String == "mSPRT")
        #expect(client.request("GET", "/healthz")?.status == 200)
        #expect(server.terminate() == 0)
    }

    @Test func idsWithMarkupComeBackEscapedInEveryAnswer() throws {
        let server = try ServerProcess()
        let client = try server.client()
        let user = "<script>alert(1)</script>", item = "<img src=x onerror=alert(2)>&"
        let event = #"{"user":"\#(user)","item":"\#(item)","type":"view","timestamp":1700000000}"#
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/json")], body: Array(event.utf8))?.status == 200)
        let encodedUser = user.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let encodedItem = item.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        for path in ["/admin/overview", "/admin/users/\(encodedUser)", "/admin/items/\(encodedItem)", "/admin/catalogue?q=img"] {
            let response = try #require(client.request("GET", path, headers: adminHeaders))
            #expect(response.status == 200, "\(path)")
            #expect(!response.body.contains(UInt8(ascii: "<")) && !response.body.contains(UInt8(ascii: ">")), "\(path): \(response.text)")
        }
        let answer = json(client.request("GET", "/admin/users/\(encodedUser)", headers: adminHeaders))
        #expect(answer["user"] as? String == user, "JSON readers get the id back unchanged")
        #expect((answer["history"] as? [[String: Any]])?.first?["item"] as? String == item)
        #expect(server.terminate() == 0)
    }

    @Test func anUploadedReportIsRenderedAndKeptAcrossARestart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let events = directory.appendingPathComponent("events.csv").path, result = directory.appendingPathComponent("result.json")
        #expect(try runRecsmith(["generate", "--users", "60", "--items", "80", "--events", "1500", "--output", events]).status == 0)
        #expect(try runRecsmith(["evaluate", "--data", events, "--models", "pop,itemknn", "--json", result.path], timeoutSeconds: 120).status == 0)
        var server = try ServerProcess(directory: directory)
        var client = try server.client()
        let uploaded = json(client.request("POST", "/admin/evaluation", headers: adminHeaders + [("Content-Type", "application/json")],
                                           body: try Array(Data(contentsOf: result))))
        #expect(uploaded["kind"] as? String == "ranking")
        let html = uploaded["html"] as? String ?? ""
        #expect(html.contains("data-chart=\"ndcg\"") && html.contains("data-series=\"itemknn\""), "\(html.prefix(300))")
        // A bad upload leaves the last report in place.
        #expect(client.request("POST", "/admin/evaluation", headers: adminHeaders, body: Array("{}".utf8))?.status == 400)
        #expect(server.terminate() == 0)
        server = try ServerProcess(directory: directory)
        client = try server.client()
        let kept = json(client.request("GET", "/admin/evaluation", headers: adminHeaders))
        #expect(kept["kind"] as? String == "ranking")
        #expect(kept["html"] as? String == html)
        #expect(server.terminate() == 0)
    }
}
