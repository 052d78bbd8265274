import Evaluation
import Markup
import Reports
import Testing

struct RatingReportPageTests {
    private let context = EvaluationReportPage.Context(
        commandLine: ["recsmith", "evaluate", "--task", "rating", "--data", "<b>it's</b>.csv"], generated: "2026-12-05T00:00:00Z")

    @Test func pageIsSelfContainedAndShowsTheCommandLineAsText() {
        let html = RatingReportPage(report: TaskReportFixtures.rating, context: context).html
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("--data &#39;&lt;b&gt;it&#39;\\&#39;&#39;s&lt;/b&gt;.csv&#39;"))
    }

    @Test func everyChartHasOneSeriesPerModelWithEveryFoldOrEpoch() {
        let report = TaskReportFixtures.rating
        let page = RatingReportPage(report: report, context: context)
        #expect(page.sections.map(\.id) == ["leaderboard", "folds", "speed", "curves", "split"])
        for chart in ["fold-rmse", "fold-mae"] {
            #expect(FigureSeries.of(chart: chart, in: page.html) == report.models.map { .init(name: $0.model, points: 3) }, "\(chart)")
        }
        #expect(FigureSeries.of(chart: "fit-time", in: page.html) == report.models.map { .init(name: $0.model, points: 1) })
        // mf: one point per SGD epoch; mf-als and baseline: one per ALS sweep (the baseline runs 10).
        #expect(report.models.map(\.curve.count) == [6, 2, 10])
        #expect(FigureSeries.of(chart: "curve", in: page.html) == report.models.map { .init(name: $0.model, points: $0.curve.count) })
    }

    @Test func leaderboardShowsFoldMeansWithTheirSampleStandardDeviation() throws {
        let mf = try #require(TaskReportFixtures.rating.models.first)
        let rmse = mf.folds.map(\.rmse)
        let mean = rmse.reduce(0, +) / 3
        let sd = (rmse.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 2).squareRoot()
        let html = RatingReportPage(report: TaskReportFixtures.rating, context: context).html
        #expect(html.contains("<td>\(formatNumber(mean, decimals: 4)) ± \(formatNumber(sd, decimals: 4))</td>"))
        #expect(formatMeanSD([0.5], decimals: 2) == "0.50" && formatMeanSD([], decimals: 2) == "–")
        #expect(formatMeanSD([1, 2, 3], decimals: 3) == "2.000 ± 1.000")
    }

    @Test func splitSectionListsEveryFoldsFingerprints() {
        let report = TaskReportFixtures.rating
        let html = RatingReportPage(report: report, context: context).html
        #expect(report.fingerprints.count == 3)
        for fingerprints in report.fingerprints {
            #expect(html.contains("<td>\(fingerprints.train)</td><td>\(fingerprints.test)</td>"))
        }
    }

    @Test func modelNamesAreEscapedInTablesAndCharts() {
        var report = TaskReportFixtures.rating
        report.models[0].model = ReportFixture.hostileName
        let html = RatingReportPage(report: report, context: context).html
        #expect(!html.contains(ReportFixture.hostileName))
        #expect(!html.lowercased().contains("<script") && !html.lowercased().contains("<img"))
        #expect(FigureSeries.of(chart: "fold-rmse", in: html)?.first?.name == escapeMarkup(ReportFixture.hostileName))
    }

    @Test func runWithoutCurvesHasNoLearningCurveSection() {
        var report = TaskReportFixtures.rating
        for index in report.models.indices { report.models[index].curve = [] }
        #expect(!RatingReportPage(report: report, context: context).sections.map(\.id).contains("curves"))
    }
}
