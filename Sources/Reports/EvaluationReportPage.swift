import Evaluation
import Markup

/// The self-contained HTML report of one `recsmith evaluate` run (`--html`, docs/EVALUATION.md §10): the
/// leaderboard, accuracy at every cut-off, fit time against accuracy, popularity bias, learning curves, and the
/// split with the command line that made it. Everything it shows comes from the ``EvaluationReport``.
package struct EvaluationReportPage: Sendable {
    /// What the run was given and when it ran, beyond the report's data.
    package struct Context: Sendable {
        /// The command's arguments, program name first.
        package var commandLine: [String]
        /// When the report was made, as shown (e.g. an ISO 8601 UTC time).
        package var generated: String

        /// A context.
        package init(commandLine: [String], generated: String) {
            self.commandLine = commandLine
            self.generated = generated
        }
    }

    package let report: EvaluationReport
    package let context: Context

    /// A page for `report`.
    package init(report: EvaluationReport, context: Context) {
        self.report = report
        self.context = context
    }

    /// The HTML document.
    package var html: String {
        HTMLPage(title: "Recsmith evaluation report", header: header, sections: sections).html
    }

    /// The sections, in reading order; sections with nothing to show (no curves, no grid search) are left out.
    package var sections: [ReportSection] {
        [leaderboard, accuracy, speed, popularity, learningCurves, gridSearch, splitAndCommand].compactMap { $0 }
    }

    /// The cut-off the single-number charts use: 10 when evaluated, else the smallest.
    package var headlineK: Int { report.ks.contains(10) ? 10 : report.ks.first ?? 10 }

    /// The colour of the model at `index` in the report, the same in every chart.
    func colour(ofModelAt index: Int) -> String { Palette.colour(at: index) }

    private var header: String {
        let seeds = report.seeds.isEmpty ? "seed \(report.seed)" : "seeds \(report.seeds.map(String.init).joined(separator: ", "))"
        return "<p>\(escapeMarkup(report.protocolName)) · split \(escapeMarkup(report.split.kind)) · "
            + "\(report.split.testUsers) test users · \(report.models.count) models · k = "
            + "\(report.ks.map(String.init).joined(separator: ", ")) · \(escapeMarkup(seeds)) · made "
            + "\(escapeMarkup(context.generated))</p>"
    }
}
