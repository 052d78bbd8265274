import Evaluation
import Reports
import Testing

struct EvaluationReportPageTests {
    private let context = EvaluationReportPage.Context(
        commandLine: ["recsmith", "evaluate", "--data", "<b>it's</b>.csv", "--curve"], generated: "2026-12-05T00:00:00Z")

    @Test func pageIsSelfContainedAndRunsNoScript() {
        let html = EvaluationReportPage(report: ReportFixture.report, context: context).html
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("&lt;script&gt;window.injected = true&lt;/script&gt;"))
        #expect(html.contains("--data &#39;&lt;b&gt;it&#39;\\&#39;&#39;s&lt;/b&gt;.csv&#39; --curve"))
    }

    @Test func everyChartIsThereWhenTheRunHasCurves() {
        let page = EvaluationReportPage(report: ReportFixture.report, context: context)
        #expect(page.sections.map(\.id) == ["leaderboard", "accuracy", "speed", "popularity", "curves", "split"])
        for chart in ["ndcg", "recall", "precision", "fit-time", "coverage", "popularity", "curve", "loss"] {
            #expect(page.html.contains("data-chart=\"\(chart)\""), "\(chart)")
        }
        #expect(page.headlineK == 10)
    }

    @Test func runWithoutCurvesHasNoLearningCurveSection() {
        var report = ReportFixture.report
        for index in report.models.indices {
            report.models[index].curve = []
            report.models[index].curveMetric = nil
        }
        let page = EvaluationReportPage(report: report, context: context)
        #expect(!page.sections.map(\.id).contains("curves"))
    }

    @Test func fixtureMeasuresPopularityPercentiles() throws {
        let pop = try #require(ReportFixture.report.models.first { $0.model == "pop" }?.metrics(atK: 10))
        let als = try #require(ReportFixture.report.models.first { $0.model == "als" }?.metrics(atK: 10))
        let popPercentile = try #require(pop.popularityPercentile)
        let alsPercentile = try #require(als.popularityPercentile)
        #expect(popPercentile > 90)
        #expect(alsPercentile < popPercentile)
        #expect(als.coverage > pop.coverage)
    }
}
