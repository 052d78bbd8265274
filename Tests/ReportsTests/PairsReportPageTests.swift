import Evaluation
import Models
import Reports
import Testing

struct PairsReportPageTests {
    private let context = EvaluationReportPage.Context(
        commandLine: ["recsmith", "evaluate", "--task", "pairs", "--relations", "<i>r</i>.csv"], generated: "2026-12-05T00:00:00Z")

    @Test func pageIsSelfContainedAndShowsTheCommandLineAsText() {
        let html = PairsReportPage(report: TaskReportFixtures.pairs, context: context).html
        #expect(!html.lowercased().contains("<script") && !html.lowercased().contains("<i>"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("--relations &#39;&lt;i&gt;r&lt;/i&gt;.csv&#39;"))
    }

    @Test func everyChartHasOneSeriesPerModel() {
        let report = TaskReportFixtures.pairs
        let page = PairsReportPage(report: report, context: context)
        #expect(page.sections.map(\.id) == ["leaderboard", "curves", "split"])
        let models = report.results.map(\.model.rawValue)
        #expect(models == ["pairmf", "pairmf-nobias"])
        for bars in ["auc", "fit-time"] {
            #expect(FigureSeries.of(chart: bars, in: page.html) == models.map { .init(name: $0, points: 1) }, "\(bars)")
        }
        #expect(FigureSeries.of(chart: "curve", in: page.html) == models.map { .init(name: $0, points: 5) })
        for result in report.results {
            #expect(page.html.contains("<th scope=\"row\">\(result.model.rawValue)</th><td>\(formatNumber(result.auc, decimals: 4))</td>"))
        }
    }

    @Test func splitSectionShowsTheFingerprints() {
        let report = TaskReportFixtures.pairs
        let html = PairsReportPage(report: report, context: context).html
        #expect(html.contains("<dd><code>\(report.fingerprints.train)</code></dd>"))
        #expect(html.contains("<dd><code>\(report.fingerprints.test)</code></dd>"))
    }

    @Test func runWithoutCurvesHasNoLearningCurveSection() throws {
        let report = try PairsEvaluation(models: [.pairmf], parameters: .init(factors: 4, epochs: 2, threads: 1))
            .run(on: RelationSplit(TaskReportFixtures.relations))
        #expect(PairsReportPage(report: report, context: context).sections.map(\.id) == ["leaderboard", "split"])
    }
}
