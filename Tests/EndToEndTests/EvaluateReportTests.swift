import Foundation
import TestSupport
import Testing

/// `recsmith evaluate --html`: the file the command writes opens in Chromium offline, with a chart series for
/// every model of the `--json` written beside it, and the command line shown as text.
@Suite(.enabled(if: HeadlessBrowser.shouldRun, Comment(rawValue: HeadlessBrowser.skipMessage)))
struct EvaluateReportTests {
    @Test func htmlReportOfTheCommandOpensOfflineWithEveryModelCharted() throws {
        // A folder name with markup in it: the command line in the report must show it, not parse it.
        let directory = try HeadlessBrowser.outputDirectory(for: "EvaluateReportTests").appendingPathComponent("<b>run</b>")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let events = directory.appendingPathComponent("events.csv").path
        let html = directory.appendingPathComponent("report.html")
        let generated = try runRecsmith(["generate", "--users", "120", "--items", "150", "--events", "4000", "--output", events])
        #expect(generated.status == 0, "\(generated.error)")
        let arguments = ["evaluate", "--data", events, "--models", "pop,itemknn,als", "--curve", "--factors", "8",
                         "--json", directory.appendingPathComponent("result.json").path, "--html", html.path]
        let result = try runRecsmith(arguments, timeoutSeconds: 300)
        #expect(result.status == 0, "\(result.error)")

        let page = try HeadlessBrowser().load(
            html, allowed: [html.absoluteString], width: 1000,
            screenshot: directory.appendingPathComponent("report.png"),
            evaluating: [
                "ndcg": "Array.from(document.querySelectorAll('figure[data-chart=ndcg] g.series')).map(g => g.dataset.series)",
                "curve": "Array.from(document.querySelectorAll('figure[data-chart=curve] g.series')).map(g => g.dataset.series)",
                "command": "document.querySelector('#split pre').textContent",
            ])
        #expect(page.foreignRequests.isEmpty, "\(page.foreignRequests)")
        #expect(page.consoleErrors.isEmpty, "\(page.consoleErrors)")
        let report = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("result.json"))) as? [String: Any]
        let models = (report?["models"] as? [[String: Any]])?.compactMap { $0["model"] as? String }
        #expect(try page.value("ndcg", as: [String].self) == models)
        #expect(try page.value("curve", as: [String].self) == ["als"])
        #expect(try page.value("command", as: String.self).contains("'\(events)'"))
    }
}
