import Foundation
import TestSupport
import Testing

/// `recsmith evaluate --task rating|pairs --html`: the file the command writes opens in Chromium offline with no
/// console error, and every chart has a series for every model of the `--json` written beside it.
@Suite(.enabled(if: HeadlessBrowser.shouldRun, Comment(rawValue: HeadlessBrowser.skipMessage)))
struct TaskReportTests {
    /// Per chart, its series' names, from the rendered DOM.
    private static let charts = """
        Object.fromEntries(Array.from(document.querySelectorAll('figure[data-chart]')).map(f => [f.dataset.chart,
          Array.from(f.querySelectorAll('g.series')).map(g => g.dataset.series)]))
        """

    @Test func ratingReportOfTheCommandChartsEveryModel() throws {
        let directory = try HeadlessBrowser.outputDirectory(for: "TaskReportTests-rating").appendingPathComponent("<b>run</b>")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var csv = "user,item,timestamp,weight\n"
        for user in 0..<60 {
            for item in 0..<40 where (user * 7 + item * 3) % 4 == 0 {
                csv += "u\(user),i\(item),\(user * 100 + item),\(1 + (user + item) % 5)\n"
            }
        }
        let ratings = directory.appendingPathComponent("ratings.csv")
        try Data(csv.utf8).write(to: ratings)
        let page = try render(
            ["evaluate", "--task", "rating", "--data", ratings.path, "--folds", "3", "--factors", "4", "--set", "mf.epochs=4",
             "--curve"], in: directory)
        let models = try jsonModels(in: directory)
        #expect(models == ["mf", "mf-als", "baseline"])
        let charts = try page.value("charts", as: [String: [String]].self)
        #expect(Set(charts.keys) == ["fold-rmse", "fold-mae", "fit-time", "curve"])
        for (chart, series) in charts { #expect(series == models, "\(chart)") }
        #expect(try page.value("command", as: String.self).contains("'\(ratings.path)'"))
    }

    @Test func pairsReportOfTheCommandChartsEveryModel() throws {
        let directory = try HeadlessBrowser.outputDirectory(for: "TaskReportTests-pairs")
        var csv = "from,to,type\n"
        for from in 0..<60 {
            for step in 1...4 { csv += "sku-\(from),sku-\((from + 3 * step) % 60),also_bought\n" }
        }
        let relations = directory.appendingPathComponent("relations.csv")
        try Data(csv.utf8).write(to: relations)
        let page = try render(
            ["evaluate", "--task", "pairs", "--relations", relations.path, "--factors", "8", "--curve"], in: directory)
        let models = try jsonModels(in: directory)
        #expect(models == ["pairmf", "pairmf-nobias"])
        let charts = try page.value("charts", as: [String: [String]].self)
        #expect(Set(charts.keys) == ["auc", "fit-time", "curve"])
        for (chart, series) in charts { #expect(series == models, "\(chart)") }
    }

    /// Runs `recsmith` with `arguments` plus `--json` and `--html` into `directory` and loads the page.
    private func render(_ arguments: [String], in directory: URL) throws -> HeadlessBrowser.Page {
        let html = directory.appendingPathComponent("report.html")
        let result = try runRecsmith(
            arguments + ["--json", directory.appendingPathComponent("result.json").path, "--html", html.path], timeoutSeconds: 300)
        #expect(result.status == 0, "\(result.error)")
        let page = try HeadlessBrowser().load(
            html, allowed: [html.absoluteString], width: 1000, screenshot: directory.appendingPathComponent("report.png"),
            evaluating: ["charts": Self.charts, "command": "document.querySelector('#split pre').textContent"])
        #expect(page.foreignRequests.isEmpty, "\(page.foreignRequests)")
        #expect(page.consoleErrors.isEmpty, "\(page.consoleErrors)")
        return page
    }

    /// The model names of `result.json` in `directory`, in order.
    private func jsonModels(in directory: URL) throws -> [String] {
        let report = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("result.json"))) as? [String: Any]
        return (report?["models"] as? [[String: Any]])?.compactMap { $0["model"] as? String } ?? []
    }
}
