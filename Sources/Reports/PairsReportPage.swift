import Evaluation
import Markup
import Models

/// The self-contained HTML report of `recsmith evaluate --task pairs --html` (docs/EVALUATION.md §10): AUC-ROC and
/// fit time per model, AUC learning curves, and the split's sizes and fingerprints with the command line.
/// Everything it shows comes from the ``PairsEvaluation/Report``.
package struct PairsReportPage: Sendable {
    package let report: PairsEvaluation.Report
    package let context: EvaluationReportPage.Context

    /// A page for `report`.
    package init(report: PairsEvaluation.Report, context: EvaluationReportPage.Context) {
        self.report = report
        self.context = context
    }

    /// The HTML document.
    package var html: String {
        HTMLPage(title: "Recsmith pairs evaluation report", header: header, sections: sections).html
    }

    /// The sections, in reading order; the learning curves only when the run has them.
    package var sections: [ReportSection] {
        [leaderboard, learningCurves, splitAndCommand].compactMap { $0 }
    }

    private var header: String {
        "<p>\(escapeMarkup(EvaluationReport.version2)) · task pairs · \(report.relations) relations over \(report.items) "
            + "items · \(report.heldOut) held out from \(report.fromItems) items · \(report.results.count) models · seed "
            + "\(report.seed) · made \(escapeMarkup(context.generated))</p>"
    }

    /// The table of AUC, fit time and settings per model, and AUC and fit time as bars.
    var leaderboard: ReportSection {
        let rows = report.results.map { result in
            [result.model.rawValue, formatNumber(result.auc, decimals: 4), formatSignificant(result.fitSeconds, significant: 3),
             "\(result.parameters.factors)", "\(result.parameters.epochs)", result.parameters.biases ? "yes" : "no"]
        }
        let table = MetricTable(
            caption: "Mean AUC-ROC over the \(report.fromItems) items with held-out relations; 0.5 is chance.",
            columns: ["model", "AUC", "fit s", "factors", "epochs", "biases"], rows: rows)
        let auc = BarChart(
            id: "chart-auc", title: "AUC-ROC per model", valueTitle: "mean AUC-ROC over the from items",
            bars: bars(\.auc), scale: LinearScale(covering: [0, 1]))
        let fitTime = BarChart(id: "chart-fit-time", title: "Fit time per model", valueTitle: "seconds", bars: bars(\.fitSeconds))
        let figures = ReportSection.figure(
            chart: "auc", svg: auc.svg, caption: "Share of (held-out, unrelated) item pairs each model orders right.")
            + ReportSection.figure(chart: "fit-time", svg: fitTime.svg, caption: "Wall time of fitting on the train relations.")
        return ReportSection(
            id: "leaderboard", heading: "Leaderboard", body: table.html + "<div class=\"charts\">\(figures)</div>")
    }

    /// AUC after every epoch (`--curve`).
    var learningCurves: ReportSection? {
        let curved = report.results.enumerated().filter { !$0.element.curve.isEmpty }
        guard !curved.isEmpty else { return nil }
        let series = curved.map { index, result in
            ChartSeries(name: result.model.rawValue, points: result.curve.map { (Double($0.epoch), $0.metric) },
                        colour: Palette.colour(at: index))
        }
        let chart = LineChart(
            id: "chart-curve", title: "Learning curves: AUC per epoch", xTitle: "epoch", yTitle: "AUC-ROC", series: series,
            xScale: LinearScale.integers(covering: series.flatMap(\.points).map(\.x)), yFromZero: false)
        let figure = ReportSection.figure(chart: "curve", svg: chart.svg, caption: "AUC-ROC on the held-out relations after every epoch.")
        return ReportSection(id: "curves", heading: "Learning curves", body: "<div class=\"charts\">\(figure)</div>")
    }

    /// The split's sizes and fingerprints (docs/EVALUATION.md §9) and the command line.
    var splitAndCommand: ReportSection {
        .splitAndCommand(
            facts: [
                ("kind", "held out: h64(from, to, type) mod 5 = 0"), ("relations", "\(report.relations)"),
                ("items", "\(report.items)"), ("train pairs", "\(report.trainPairs)"), ("held out", "\(report.heldOut)"),
                ("from items", "\(report.fromItems)"), ("seed", "\(report.seed)"),
                ("train SHA-256", report.fingerprints.train), ("held-out SHA-256", report.fingerprints.test),
            ],
            commandLine: context.commandLine)
    }

    private func bars(_ value: KeyPath<PairsEvaluation.Report.Result, Double>) -> [BarChart.Bar] {
        report.results.enumerated().map { index, result in
            .init(name: result.model.rawValue, value: result[keyPath: value], colour: Palette.colour(at: index))
        }
    }
}
