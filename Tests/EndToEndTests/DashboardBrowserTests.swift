import Foundation
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
