import Evaluation
import Markup

/// The self-contained HTML report of `recsmith evaluate --task rating --html` (docs/EVALUATION.md §10): the fold
/// means with their spread, RMSE and MAE on every fold, fit times, RMSE learning curves, and each fold's sizes and
/// fingerprints with the command line. Everything it shows comes from the ``RatingReport``.
package struct RatingReportPage: Sendable {
    package let report: RatingReport
    package let context: EvaluationReportPage.Context

    /// A page for `report`.
    package init(report: RatingReport, context: EvaluationReportPage.Context) {
        self.report = report
        self.context = context
    }

    /// The HTML document.
    package var html: String {
        HTMLPage(title: "Recsmith rating evaluation report", header: header, sections: sections).html
    }

    /// The sections, in reading order; the learning curves only when the run has them.
    package var sections: [ReportSection] {
        [leaderboard, perFold, fitTime, learningCurves, splitAndCommand].compactMap { $0 }
    }

    /// The colour of the model at `index` in the report, the same in every chart.
    func colour(ofModelAt index: Int) -> String { Palette.colour(at: index) }

    private var header: String {
        "<p>\(escapeMarkup(EvaluationReport.version2)) · task rating · \(report.folds) folds · \(report.ratings) ratings · "
            + "\(report.users) users · \(report.items) items · \(report.models.count) models · seed \(report.seed) · made "
            + "\(escapeMarkup(context.generated))</p>"
    }
}
