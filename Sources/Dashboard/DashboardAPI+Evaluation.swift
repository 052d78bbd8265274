import Evaluation
import EventFormats
import HTTPServer
import JSON
import Reports
import Serving

extension DashboardAPI {
    /// Deepest JSON nesting an uploaded report may have (the deepest report nests 7 levels).
    static let reportMaxDepth = 16

    /// `GET /admin/evaluation`: the last uploaded report, rendered; before the first, `kind` is null.
    func lastReport(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try AdminQuery(request, allowed: [])
        guard let last = reports.last else {
            var body = JSONWriter()
            body.beginObject()
            body.key("kind"); body.null()
            body.key("summary"); body.string("no evaluation report has been uploaded yet")
            body.key("html"); body.string("")
            body.endObject()
            return Self.respond(body)
        }
        return try rendered(last.json, uploadedAt: last.uploadedAt)
    }

    /// `POST /admin/evaluation`: a report JSON as `recsmith evaluate --json` writes it; decoded, kept as the last
    /// report and answered rendered: `{"kind", "summary", "html"}`, `html` being the HTML report's sections with
    /// their charts (every value escaped). A body that is not such a report is `400 invalid_report`.
    func uploadReport(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try AdminQuery(request, allowed: [])
        let now = serving.clock()
        let response = try rendered(request.body, uploadedAt: now)
        reports.keep(request.body, at: now)
        return response
    }

    private func rendered(_ json: [UInt8], uploadedAt: Double) throws -> HTTPResponse {
        let report: AnyEvaluationReport
        do {
            report = try AnyEvaluationReport(jsonText: json, maxDepth: Self.reportMaxDepth)
        } catch {
            throw DashboardError.badRequest("not an evaluation report: \(error)", code: "invalid_report")
        }
        let context = EvaluationReportPage.Context(commandLine: [], generated: RFC3339.format(uploadedAt))
        let (kind, sections): (String, [ReportSection]) = switch report {
        case .ranking(let ranking): ("ranking", EvaluationReportPage(report: ranking, context: context).sections)
        case .rating(let rating): ("rating", RatingReportPage(report: rating, context: context).sections)
        case .pairs(let pairs): ("pairs", PairsReportPage(report: pairs, context: context).sections)
        }
        var body = JSONWriter(capacity: 65536)
        body.beginObject()
        body.key("kind"); body.string(kind)
        body.key("summary"); body.string("Report uploaded \(RFC3339.format(uploadedAt)) (\(kind)).")
        body.key("html"); body.string(sections.map(\.html).joined(separator: "\n"))
        body.endObject()
        return Self.respond(body)
    }
}
