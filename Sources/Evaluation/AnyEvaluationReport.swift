import JSON

/// A report JSON of any task (`recsmith evaluate --task … --json`), for readers that take whichever they are given,
/// such as the dashboard's evaluation page.
package enum AnyEvaluationReport: Sendable {
    /// `--task ranking` (§8, §9).
    case ranking(EvaluationReport)
    /// `--task rating` (§9).
    case rating(RatingReport)
    /// `--task pairs` (§9).
    case pairs(PairsEvaluation.Report)

    /// Parses `jsonText` (UTF-8) with nesting limited to `maxDepth` levels and reads the report it holds.
    ///
    /// The `task` member tells the kinds apart: the rating and pairs writers put `"task": "rating"` or `"pairs"`
    /// right after `protocol`, while a ranking report has no `task` (§8 predates tasks; `"ranking"` is read as
    /// ranking too). Any other task is refused. The deepest report, a seeded model's run with its metrics,
    /// nests 7 levels (`models[i].runs[j].metrics["k"]`), so a `maxDepth` of 7 or more reads every report this
    /// build writes.
    package init(jsonText: [UInt8], maxDepth: Int) throws(ReportDecodingError) {
        let document: ReportNode
        do {
            document = ReportNode(document: try JSONValue.parse(jsonText, maxDepth: maxDepth))
        } catch {
            throw .syntax(error)
        }
        switch try document.optionalMember("task")?.string() {
        case nil, EvaluationTask.ranking.rawValue?:
            self = .ranking(try EvaluationReport(document))
        case EvaluationTask.rating.rawValue?:
            self = .rating(try RatingReport(document))
        case EvaluationTask.pairs.rawValue?:
            self = .pairs(try PairsEvaluation.Report(document))
        case let task?:
            throw .unknownTask(task)
        }
    }
}
