import Evaluation
import Foundation
import Reports
import TestSupport
import Testing

/// The report as Chromium renders it: every chart has the series the report data says, nothing is requested from
/// outside the file, no console error, the hostile model name is text, and the page fits a phone's width.
@Suite(.enabled(if: HeadlessBrowser.shouldRun, Comment(rawValue: HeadlessBrowser.skipMessage)))
struct ReportBrowserTests {
    private struct Chart: Decodable {
        let chart: String
        let series: [Series]
    }

    private struct Series: Decodable, Equatable {
        let name: String
        let circles: Int
        let paths: Int
        let rects: Int
    }

    private static let evaluations = [
        "charts": """
            Array.from(document.querySelectorAll('figure[data-chart]')).map(f => ({chart: f.dataset.chart,
              series: Array.from(f.querySelectorAll('g.series')).map(g => ({name: g.dataset.series,
                circles: g.querySelectorAll('circle').length, paths: g.querySelectorAll('path').length,
                rects: g.querySelectorAll('rect').length}))}))
            """,
        "scripts": "document.querySelectorAll('script, img, iframe, object, embed').length",
        "injected": "typeof window.injected",
        "models": "Array.from(document.querySelectorAll('#leaderboard tbody th')).map(t => t.textContent)",
        "command": "document.querySelector('#split pre').textContent",
        "fitsWidth": "document.documentElement.scrollWidth <= window.innerWidth",
    ]

    private func render(width: Int, test: String) throws -> (HeadlessBrowser.Page, URL) {
        let directory = try HeadlessBrowser.outputDirectory(for: test)
        let file = directory.appendingPathComponent("report.html")
        let context = EvaluationReportPage.Context(
            commandLine: ["recsmith", "evaluate", "--data", "<b>x</b>.csv"], generated: "2026-12-05T00:00:00Z")
        try Data(EvaluationReportPage(report: ReportFixture.report, context: context).html.utf8).write(to: file)
        let page = try HeadlessBrowser().load(
            file, allowed: [file.absoluteString], width: width,
            screenshot: directory.appendingPathComponent("report-\(width).png"), evaluating: Self.evaluations)
        return (page, directory)
    }

    @Test func everyChartHasOneSeriesPerModelWithEveryPoint() throws {
        let (page, _) = try render(width: 1200, test: "ReportBrowserTests-wide")
        let report = ReportFixture.report
        let charts = Dictionary(uniqueKeysWithValues: try page.value("charts", as: [Chart].self).map { ($0.chart, $0.series) })
        for metric in ["ndcg", "recall", "precision"] {
            #expect(charts[metric] == report.models.map { Series(name: $0.model, circles: $0.metrics.count, paths: 1, rects: 0) })
        }
        #expect(charts["fit-time"] == report.models.map { Series(name: $0.model, circles: 1, paths: 0, rects: 0) })
        for bars in ["coverage", "popularity"] {
            #expect(charts[bars] == report.models.map { Series(name: $0.model, circles: 0, paths: 0, rects: 1) })
        }
        let curved = report.models.filter { !$0.curve.isEmpty }
        #expect(curved.map(\.model) == ["als", "bpr"])
        #expect(charts["curve"] == curved.map { Series(name: $0.model, circles: $0.curve.count, paths: 1, rects: 0) })
        let lossy = curved.filter { $0.curve.allSatisfy { $0.loss != nil } }
        #expect(charts["loss"] == lossy.map { Series(name: $0.model, circles: $0.curve.count, paths: 1, rects: 0) })
    }

    @Test func pageLoadsNothingFromTheNetworkAndLogsNoError() throws {
        let (page, _) = try render(width: 1200, test: "ReportBrowserTests-offline")
        #expect(page.requests.count == 1)
        #expect(page.foreignRequests.isEmpty, "\(page.foreignRequests)")
        #expect(page.consoleErrors.isEmpty, "\(page.consoleErrors)")
    }

    @Test func hostileModelNameIsShownAsTextAndNeverRuns() throws {
        let (page, _) = try render(width: 1200, test: "ReportBrowserTests-hostile")
        #expect(try page.value("scripts", as: Int.self) == 0)
        #expect(try page.value("injected", as: String.self) == "undefined")
        #expect(try page.value("models", as: [String].self).contains(ReportFixture.hostileName))
        #expect(try page.value("command", as: String.self) == "recsmith evaluate --data '<b>x</b>.csv'")
    }

    @Test func pageFitsAPhoneScreenAndWritesScreenshots() throws {
        let (page, directory) = try render(width: 390, test: "ReportBrowserTests-phone")
        #expect(try page.value("fitsWidth", as: Bool.self))
        let screenshot = try #require(page.screenshot)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: screenshot))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(screenshot.hasPrefix(directory.path))
    }
}
