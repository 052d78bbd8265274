import Foundation
import SyntheticData
import TestSupport
import Testing

private let adminHeaders = [("Authorization", "Bearer \(ServerProcess.adminToken)")]

/// The dashboard in headless Chromium against a live server: every page signs in as a person does (the token
/// typed into the form), waits for its data, shows what the admin JSON and the API say, makes no request
/// outside the server and logs no console error. Screenshots go to `.build/test-output/DashboardBrowserTests-*/`.
@Suite(.serialized, .enabled(if: HeadlessBrowser.shouldRun, Comment(rawValue: HeadlessBrowser.skipMessage)))
struct DashboardBrowserTests {
    /// Types the token into the sign-in form and submits it.
    private static let signIn = """
        document.getElementById('token').value = '\(ServerProcess.adminToken)';
        document.getElementById('login-form').requestSubmit(); true
        """
    private static let settled = "document.body.dataset.state === 'ready' || document.body.dataset.state === 'error'"

    /// Loads the page at `fragment` signed in; `then` (JavaScript) runs once the page shows its data, and `waitFor`
    /// (default: the page settled) is polled after it.
    private func load(
        _ server: ServerProcess, _ fragment: String, screenshot name: String, in output: URL, evaluating: [String: String] = [:],
        then: String? = nil, waitFor: String? = nil
    ) throws -> HeadlessBrowser.Page {
        let running = then.map { action in
            """
            (async () => { \(Self.signIn);
              while (document.body.dataset.state !== 'ready') await new Promise(resolve => setTimeout(resolve, 50));
              \(action); return true })()
            """
        } ?? Self.signIn
        let page = try HeadlessBrowser().load(
            URL(string: "\(server.url)/dashboard#\(fragment)")!, screenshot: output.appendingPathComponent("\(name).png"),
            evaluating: evaluating.merging(["state": "document.body.dataset.state", "status": "document.getElementById('status').textContent"]) { a, _ in a },
            running: running, waitFor: waitFor ?? Self.settled)
        #expect(page.foreignRequests.isEmpty, "\(name): \(page.foreignRequests)")
        #expect(page.consoleErrors.isEmpty, "\(name): \(page.consoleErrors)")
        let status = (try? page.value("status", as: String.self)) ?? ""
        #expect(try page.value("state", as: String.self) == "ready", "\(name): \(status)")
        return page
    }

    @Test func everyPageShowsWhatTheServerKnows() throws {
        let (server, client) = try DashboardServeTests.trainedServer()
        let report = try Self.uploadEvaluation(client)
        let output = try HeadlessBrowser.outputDirectory(for: "DashboardBrowserTests-pages")

        let overview = try load(server, "overview", screenshot: "overview", in: output, evaluating: [
            "events": "document.querySelector('[data-card=events]').dataset.value",
            "bars": "document.querySelectorAll('figure[data-chart=events-per-hour] rect').length",
            "types": "Array.from(document.querySelectorAll('[data-table=event-types] tbody tr')).map(r => r.dataset.type)",
        ])
        #expect(try overview.value("events", as: String.self) == String(json(client.request("GET", "/admin/overview", headers: adminHeaders))["events"] as? Int ?? -1))
        #expect(try overview.value("bars", as: Int.self) == 168)
        #expect(try overview.value("types", as: [String].self) == ["view", "purchase"])

        // "Retrain now": the button starts a pass, its progress ends in success and the passes table shows it.
        let models = try load(server, "models", screenshot: "models", in: output, evaluating: [
            "models": "Array.from(document.querySelectorAll('[data-table=models] tbody tr')).map(r => r.dataset.model)",
            "phases": "document.querySelectorAll('[data-table=passes] rect[data-phase]').length",
            "passes": "document.querySelectorAll('[data-table=passes] tbody tr').length",
            "progress": "document.getElementById('retrain-progress').textContent",
        ], then: "document.getElementById('retrain').click()",
            waitFor: "document.body.dataset.state === 'ready' && (document.getElementById('retrain-progress') || {}).textContent === 'job-2: succeeded'")
        #expect(try models.value("models", as: [String].self) == ["itemknn", "als", "popular", "content"])
        #expect(try models.value("phases", as: Int.self) > 6)
        #expect(try models.value("passes", as: Int.self) == 2)

        let user = try load(server, "user/u3", screenshot: "user", in: output, evaluating: [
            "answers": "Object.fromEntries(Array.from(document.querySelectorAll('.answer')).map(s => [s.dataset.model, Array.from(s.querySelectorAll('li')).map(li => li.dataset.item)]))",
            "history": "document.querySelectorAll('[data-table=history] tbody tr').length",
        ])
        let shown = try user.value("answers", as: [String: [String]].self)
        #expect(shown.keys.sorted() == ["als", "content", "itemknn", "popular"])
        for (model, items) in shown {
            #expect(items == itemIDs(client.request("GET", "/users/u3/recommendations?k=10&model=\(model)")), "\(model)")
        }
        #expect(try user.value("history", as: Int.self) > 0)

        let item = try load(server, "item/i3", screenshot: "item", in: output, evaluating: [
            "similar": "Array.from(document.querySelectorAll('.answer')).map(s => s.dataset.model)",
            "days": "document.querySelectorAll('figure[data-chart=events-per-day] rect').length",
        ])
        #expect(try item.value("similar", as: [String].self).contains("itemknn"))
        #expect(try item.value("days", as: Int.self) > 0)

        let catalogue = try load(server, "catalogue/?state=hidden", screenshot: "catalogue", in: output, evaluating: [
            "rows": "Array.from(document.querySelectorAll('[data-table=catalogue] tbody tr a')).map(a => a.dataset.item)",
        ])
        #expect(try catalogue.value("rows", as: [String].self) == ["i7"])

        let evaluation = try load(server, "evaluation", screenshot: "evaluation", in: output, evaluating: [
            "ndcg": "Array.from(document.querySelectorAll('figure[data-chart=ndcg] g.series')).map(g => g.dataset.series)",
        ])
        #expect(try evaluation.value("ndcg", as: [String].self) == report)

        // /docs, the API reference, loads under the same policy without errors.
        let docs = try HeadlessBrowser().load(URL(string: "\(server.url)/docs")!)
        #expect(docs.consoleErrors.isEmpty && docs.foreignRequests.isEmpty, "\(docs.consoleErrors) \(docs.foreignRequests)")
        #expect(server.terminate() == 0)
    }

    @Test func markupInAnIDIsShownAsTextAndNeverRuns() throws {
        let server = try ServerProcess()
        let client = try server.client()
        let hostile = #"<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>"#
        let event = #"{"user":"\#(hostile.replacingOccurrences(of: "\"", with: "\\\""))","item":"\#(hostile.replacingOccurrences(of: "\"", with: "\\\""))","timestamp":1700000000}"#
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/json")], body: Array(event.utf8))?.status == 200)
        let encoded = hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let output = try HeadlessBrowser.outputDirectory(for: "DashboardBrowserTests-hostile")
        for (fragment, name) in [("user/\(encoded)", "hostile-user"), ("item/\(encoded)", "hostile-item"), ("catalogue/?q=img", "hostile-catalogue")] {
            let page = try load(server, fragment, screenshot: name, in: output, evaluating: [
                "pwned": "window.pwned === undefined",
                "images": "document.querySelectorAll('#view img, #view script').length",
                "subject": "document.getElementById('subject') ? document.getElementById('subject').textContent : null",
            ])
            #expect(try page.value("pwned", as: Bool.self), "\(name)")
            #expect(try page.value("images", as: Int.self) == 0, "\(name)")
            if name != "hostile-catalogue" { #expect(try page.value("subject", as: String.self) == hostile, "\(name)") }
        }
        #expect(server.terminate() == 0)
    }

    @Test func aWrongTokenBringsTheSignInFormBack() throws {
        let server = try ServerProcess()
        let page = try HeadlessBrowser().load(
            URL(string: "\(server.url)/dashboard#overview")!,
            evaluating: ["state": "document.body.dataset.state", "message": "document.getElementById('login-message').textContent",
                         "stored": "sessionStorage.getItem('recsmith-admin-token')"],
            running: "document.getElementById('token').value = 'wrong-token-0123456789'; document.getElementById('login-form').requestSubmit(); true",
            waitFor: "document.body.dataset.state === 'login' && document.getElementById('login-message').textContent !== ''")
        #expect(try page.value("state", as: String.self) == "login")
        #expect(try page.value("stored", as: String?.self) == nil, "a refused token is forgotten")
        // The 401 itself is the only console line: the browser logs every failed fetch.
        #expect(page.consoleErrors.allSatisfy { $0.contains("401") }, "\(page.consoleErrors)")
        #expect(server.terminate() == 0)
    }

    /// The shop of `OnlineLoopServeTests`, and a scheduled experiment whose names hold markup.
    private static let hostile = #"<img src=x onerror="window.pwned=1">"#
    private static let experiments = #"[{name: shop, variants: [{name: control, model: popular, weight: 50}, {name: personal, model: als, weight: 50}]}, "#
        + #"{name: '\#(hostile)', start: 2099-01-01T00:00:00Z, variants: [{name: control, model: popular}, {name: '\#(hostile)', model: als}]}]"#

    @Test func theOnlinePageShowsTheAdminFiguresAndStopsAnExperiment() throws {
        let server = try ServerProcess(arguments: ["--models", "als,popular", "--retrain-interval", "0", "--set", "als.factors=16",
                                                   // Every list remembered (no sampling), so the counts are the shop's own.
                                                   "--set", "online.remember_per_second=10000000",
                                                   "--set", "experiments=\(Self.experiments)"])
        defer { server.removeData() }
        let client = try server.client()
        try Self.runShop(client, server)
        let output = try HeadlessBrowser.outputDirectory(for: "DashboardBrowserTests-online")

        // The person opens the page, then the experiment from its list.
        // Each row of a table by its key, with the raw value of every figure cell.
        func rows(_ table: String, by key: String) -> String {
            "Object.fromEntries(Array.from(document.querySelectorAll('[data-table=\(table)] tbody tr')).map(r => [r.dataset.\(key), "
                + "Object.fromEntries(Array.from(r.querySelectorAll('[data-field]')).map(c => [c.dataset.field, Number(c.dataset.value)]))]))"
        }
        let page = try load(server, "online/?window=1h", screenshot: "online", in: output, evaluating: [
            "models": rows("models", by: "model"),
            "lists_text": "Array.from(document.querySelectorAll('[data-table=models] [data-field=lists]')).map(c => c.textContent)",
            "whiskers": "Object.fromEntries(Array.from(document.querySelectorAll('[data-table=models] tbody tr')).map(r => [r.dataset.model, "
                + "['value', 'low', 'high'].map(k => Number(r.querySelector('svg.interval').dataset[k]))]))",
            "positions": "Object.fromEntries(Array.from(document.querySelectorAll('figure[data-chart=positions]')).map(f => [f.dataset.model, "
                + "Array.from(f.querySelectorAll('rect')).map(b => Number(b.dataset.value))]))",
            "unattributed": "Array.from(document.querySelectorAll('[data-table=unattributed] tbody tr')).map(r => r.dataset.type + '=' + r.querySelector('td').dataset.value)",
            "served": "Number(document.querySelector('[data-card=served]').dataset.value)",
            "statuses": "Array.from(document.querySelectorAll('[data-table=experiments] tbody tr')).map(r => r.dataset.experiment + ' ' + r.querySelector('[data-field=status]').textContent)",
            "variants": rows("experiment-variants", by: "variant"),
            "comparison": "Number(document.querySelector('.comparison[data-variant=personal] [data-field=p_value]').dataset.value)",
            "difference": "Number(document.querySelector('.comparison[data-variant=personal] [data-field=difference]').dataset.value)",
            "verdict": "document.querySelector('.comparison[data-variant=personal] .verdict').textContent",
        ], then: "document.querySelector('[data-table=experiments] tr[data-experiment=shop] a').click()",
            waitFor: "document.body.dataset.state === 'ready' && document.getElementById('experiment') !== null")

        let online = json(client.request("GET", "/admin/metrics/online?window=1h", headers: adminHeaders))
        let fields = ["lists", "ctr", "conversion_rate", "events_attributed", "events_per_list"]
        let expectedModels = Dictionary(uniqueKeysWithValues: (online["models"] as? [[String: Any]] ?? []).map { row in
            (row["model"] as? String ?? "", Dictionary(uniqueKeysWithValues: fields.map { ($0, (row[$0] as? NSNumber)?.doubleValue ?? -1) }))
        })
        #expect(expectedModels.keys.sorted() == ["als", "popular"])
        #expect(close(try page.value("models", as: [String: [String: Double]].self), expectedModels))
        let listsText = try page.value("lists_text", as: [String].self)
        #expect(listsText.sorted() == (online["models"] as? [[String: Any]] ?? []).map { "\($0["lists"] as? Int ?? -1)" }.sorted())
        let whiskers = try page.value("whiskers", as: [String: [Double]].self)
        let positions = try page.value("positions", as: [String: [Int]].self)
        for row in online["models"] as? [[String: Any]] ?? [] {
            let model = row["model"] as? String ?? ""
            #expect(close(whiskers[model] ?? [], ["ctr", "ctr_low", "ctr_high"].map { row[$0] as? Double ?? -1 }), "\(model)")
            #expect(positions[model] == row["positions"] as? [Int], "\(model)")
        }
        #expect(try page.value("unattributed", as: [String].self) == ["click=1"])
        #expect(try page.value("served", as: Int.self) == (online["remembering"] as? [String: Any])?["served"] as? Int)
        #expect(try page.value("statuses", as: [String].self) == ["shop running", "\(Self.hostile) scheduled"])

        let report = json(client.request("GET", "/admin/experiments/shop", headers: adminHeaders))
        let expectedVariants = Dictionary(uniqueKeysWithValues: (report["variants"] as? [[String: Any]] ?? []).map { row in
            (row["name"] as? String ?? "", Dictionary(uniqueKeysWithValues: ["lists", "ctr", "conversion_rate", "events_attributed"].map {
                ($0, (row[$0] as? NSNumber)?.doubleValue ?? -1)
            }))
        })
        #expect(close(try page.value("variants", as: [String: [String: Double]].self), expectedVariants))
        let comparison = try #require(report["comparison"] as? [String: Any])
        let pValue = try #require(comparison["p_value"] as? Double), difference = try #require(comparison["difference"] as? Double)
        #expect(close([try page.value("comparison", as: Double.self), try page.value("difference", as: Double.self)], [pValue, difference]))
        // Both arms are past the burn-in, and ALS's lead on held-out clicks is clear at this size (seed 11).
        #expect(expectedVariants.values.allSatisfy { ($0["lists"] ?? 0) >= 200 }, "\(expectedVariants)")
        #expect(pValue < 0.05 && difference > 0, "\(comparison)")
        let shown = pValue < 0.001 ? "p < 0.001" : "p = \(String(format: pValue < 0.01 ? "%.3f" : "%.2f", pValue))"
        #expect(try page.value("verdict", as: String.self) == "personal's CTR is higher than control's (\(shown), mSPRT; valid at any look).")

        // The scheduled experiment: names with markup are text, and no lists means not enough data yet.
        let encoded = Self.hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let scheduled = try load(server, "online/?experiment=\(encoded)", screenshot: "online-hostile", in: output, evaluating: [
            "pwned": "window.pwned === undefined",
            "images": "document.querySelectorAll('#view img, #view script').length",
            "name": "document.getElementById('experiment-name').textContent",
            "variants": "Array.from(document.querySelectorAll('[data-table=experiment-variants] tbody tr')).map(r => r.dataset.variant)",
            "verdict": "document.querySelector('.comparison .verdict').textContent",
        ])
        #expect(try scheduled.value("pwned", as: Bool.self))
        #expect(try scheduled.value("images", as: Int.self) == 0)
        #expect(try scheduled.value("name", as: String.self) == Self.hostile)
        #expect(try scheduled.value("variants", as: [String].self) == ["control", Self.hostile])
        #expect(try scheduled.value("verdict", as: String.self)
                == "Not enough data yet: the test starts once each arm has 200 lists (control has 0, \(Self.hostile) has 0).")

        // Stop with a winner: choose, press Stop, confirm; the page shows the winner and the server has it.
        let stopped = try load(server, "online/?experiment=shop", screenshot: "online-stopped", in: output, evaluating: [
            "winner": "document.getElementById('winner').textContent",
            "controls": "document.querySelectorAll('#stop-form').length",
        ], then: """
            document.getElementById('winner-choice').value = 'personal'; document.getElementById('stop').click();
            document.getElementById('stop-yes').click()
            """, waitFor: "document.body.dataset.state === 'ready' && document.getElementById('winner') !== null")
        #expect(try stopped.value("winner", as: String.self) == "personal")
        #expect(try stopped.value("controls", as: Int.self) == 0, "a stopped experiment has no stop control")
        let summary = json(client.request("GET", "/admin/experiments/shop", headers: adminHeaders))
        #expect(summary["status"] as? String == "stopped" && summary["winner"] as? String == "personal")
        #expect(server.terminate() == 0)
    }

    @Test func theOnlinePageSaysWhenNothingWasServedAndNoExperimentIsConfigured() throws {
        let server = try ServerProcess(arguments: ["--retrain-interval", "0"])
        defer { server.removeData() }
        let output = try HeadlessBrowser.outputDirectory(for: "DashboardBrowserTests-online-empty")
        let page = try load(server, "online", screenshot: "online-empty", in: output, evaluating: [
            "lists": "document.getElementById('no-lists').textContent",
            "experiments": "document.getElementById('no-experiments').textContent",
            "tables": "document.querySelectorAll('[data-table=models], [data-table=experiments]').length",
        ])
        #expect(try page.value("lists", as: String.self).hasPrefix("No lists served in the last 24h"))
        #expect(try page.value("experiments", as: String.self).hasPrefix("No experiments configured"))
        #expect(try page.value("tables", as: Int.self) == 0)
        #expect(server.terminate() == 0)
    }

    /// Equal within a relative 1e-12: the page reads the JSON with JavaScript's parser, the test with Foundation's.
    private func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(abs($0), abs($1)) }
    }

    private func close(_ a: [String: [String: Double]], _ b: [String: [String: Double]]) -> Bool {
        a.keys.sorted() == b.keys.sorted() && a.allSatisfy { key, row in
            let other = b[key] ?? [:]
            return row.keys.sorted() == other.keys.sorted() && close(row.keys.sorted().map { row[$0]! }, row.keys.sorted().map { other[$0]! })
        }
    }

    /// Trains on each user's first 80% of events, asks for every user's recommendations and clicks (and buys the
    /// first of) the shown items among the user's last 20%, echoing the list's id; plus one click naming no list.
    private static func runShop(_ client: TestClient, _ server: ServerProcess) throws {
        var byUser: [Int: [Int]] = [:]
        for event in SyntheticEvents(userCount: 1_000, itemCount: 400, eventCount: 40_000, seed: 11).events() {
            byUser[event.user, default: []].append(event.item)
        }
        var training: [String] = [], clicks: [String] = []
        var wanted: [Int: Set<Int>] = [:]
        for (user, items) in byUser where items.count >= 5 {
            let cut = items.count * 4 / 5
            for item in items[..<cut] { training.append(#"{"user":"u\#(user)","item":"i\#(item)","timestamp":1700000000}"#) }
            wanted[user] = Set(items[cut...]).subtracting(items[..<cut])
        }
        post(training, to: client)
        #expect(server.retrainAndWait(client) == "succeeded")
        for (user, items) in wanted.sorted(by: { $0.key < $1.key }) {
            let answer = json(client.request("GET", "/users/u\(user)/recommendations?k=10"))
            let id = try #require(answer["recommendation_id"] as? String)
            let shown = (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
            let hits = shown.filter { items.contains(Int($0.dropFirst()) ?? -1) }
            for item in hits { clicks.append(#"{"user":"u\#(user)","item":"\#(item)","type":"click","recommendation_id":"\#(id)"}"#) }
            if let first = hits.first { clicks.append(#"{"user":"u\#(user)","item":"\#(first)","type":"purchase","recommendation_id":"\#(id)"}"#) }
        }
        clicks.append(#"{"user":"u1","item":"i1","type":"click","recommendation_id":"no-such-list"}"#)
        post(clicks, to: client)
    }

    /// Posts NDJSON `lines` in batches the server takes.
    private static func post(_ lines: [String], to client: TestClient) {
        for start in stride(from: 0, to: lines.count, by: 4_000) {
            let batch = lines[start..<min(start + 4_000, lines.count)].joined(separator: "\n")
            #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(batch.utf8))?.status == 200)
        }
    }

    /// Runs `recsmith evaluate --json` on a small generated set and posts the result to the dashboard; the models
    /// of the report, in order.
    private static func uploadEvaluation(_ client: TestClient) throws -> [String] {
        let directory = try HeadlessBrowser.outputDirectory(for: "DashboardBrowserTests-evaluation")
        let events = directory.appendingPathComponent("events.csv").path
        let result = directory.appendingPathComponent("result.json")
        #expect(try runRecsmith(["generate", "--users", "100", "--items", "120", "--events", "3000", "--output", events]).status == 0)
        let evaluated = try runRecsmith(["evaluate", "--data", events, "--models", "pop,itemknn", "--json", result.path], timeoutSeconds: 120)
        #expect(evaluated.status == 0, "\(evaluated.error)")
        let body = try Array(Data(contentsOf: result))
        let response = client.request("POST", "/admin/evaluation", headers: adminHeaders + [("Content-Type", "application/json")], body: body)
        #expect(response?.status == 200, "\(response?.text ?? "")")
        return ["pop", "itemknn"]
    }
}
