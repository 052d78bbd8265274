import EventFormats
import EventStore
import Filtering
import HTTPServer
import JSON
import Logging
import Models
import OnlineLoop
import OnlineStatistics
import Serving

/// The online loop's admin JSON: CTR and conversions per model and variant over a window, the experiments, and
/// stopping one with a winner.
extension DashboardAPI {
    /// The windows `GET /admin/metrics/online` takes, in seconds.
    static let onlineWindows: [(name: String, seconds: Double)] = [("1h", 3600), ("24h", 86_400), ("7d", 7 * 86_400)]

    /// `GET /admin/metrics/online?window=1h|24h|7d` (default 24h): lists served in the window and the events
    /// attributed to them, per model and per experiment variant, with Wilson 95% intervals.
    func onlineMetrics(_ request: HTTPRequest) throws -> HTTPResponse {
        let query = try AdminQuery(request, allowed: ["window"])
        let name = query["window"] ?? "24h"
        guard let window = Self.onlineWindows.first(where: { $0.name == name }) else {
            throw DashboardError.badRequest("window must be one of \(Self.onlineWindows.map(\.name).joined(separator: ", "))")
        }
        // Lists served until now are written first, so the figures count every answer sent.
        try commitServedLists()
        let now = serving.clock()
        let figures = OnlineFigures(try store.onlineCounts(servedFrom: now - window.seconds, to: now))
        var json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.key("window"); json.string(window.name)
        json.key("from"); json.string(RFC3339.format(now - window.seconds))
        json.key("to"); json.string(RFC3339.format(now))
        json.key("models")
        json.beginArray()
        for row in figures.models { Self.write(row, into: &json) }
        json.endArray()
        json.key("variants")
        json.beginArray()
        for row in figures.variants { Self.write(row, into: &json) }
        json.endArray()
        json.key("unattributed_events"); Self.writeCounts(figures.unattributed, into: &json)
        json.key("remembering"); writeRemembering(into: &json)
        json.endObject()
        return Self.respond(json)
    }

    /// `GET /admin/experiments`: every configured experiment with its state.
    func experimentList(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try AdminQuery(request, allowed: [])
        var json = JSONWriter(capacity: 2048)
        json.beginObject()
        json.key("experiments")
        json.beginArray()
        for experiment in online.experiments.all { writeSummary(of: experiment, into: &json, closing: true) }
        json.endArray()
        json.endObject()
        return Self.respond(json)
    }

    /// `GET /admin/experiments/{name}`: each variant's lists, CTR and conversion rate with intervals, and each
    /// treatment's CTR difference to the control with its interval and always-valid p-value.
    func experimentReport(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try AdminQuery(request, allowed: [])
        let experiment = try configuredExperiment(request)
        try commitServedLists()
        let now = serving.clock()
        let (from, to) = (experiment.start ?? 0, min(now, experiment.end ?? now))
        let report = ExperimentReport(
            experiment: experiment, counts: try store.onlineCounts(servedFrom: from, to: to),
            hours: try store.experimentHours(experiment.name, servedFrom: from, to: to))
        var json = JSONWriter(capacity: 4096)
        writeSummary(of: experiment, into: &json, closing: false)
        json.key("variants")
        json.beginArray()
        for variant in report.variants {
            json.beginObject()
            json.key("name"); json.string(variant.name)
            json.key("model"); json.string(variant.model)
            json.key("weight"); json.number(variant.weight)
            json.key("lists"); json.int(variant.lists)
            json.key("attributed_lists"); json.int(variant.clickThrough.successes)
            Self.write(variant.clickThrough, as: "ctr", into: &json)
            json.key("converted_lists"); json.int(variant.conversion.successes)
            Self.write(variant.conversion, as: "conversion_rate", into: &json)
            json.key("events_attributed"); json.int(variant.eventsAttributed)
            json.endObject()
        }
        json.endArray()
        json.key("comparison")
        if let first = report.comparisons.first { Self.write(first, of: report, into: &json) } else { json.null() }
        json.key("comparisons")
        json.beginArray()
        for comparison in report.comparisons { Self.write(comparison, of: report, into: &json) }
        json.endArray()
        json.endObject()
        return Self.respond(json)
    }

    /// `POST /admin/experiments/{name}/stop` with `{"winner": "variant"}`: the experiment assigns no one from now
    /// on and its winner answers every request that names no model; stored, so it holds across restarts.
    func stopExperiment(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try AdminQuery(request, allowed: [])
        let experiment = try configuredExperiment(request)
        let body: JSONValue
        do {
            body = try JSONValue.parse(request.body, maxDepth: 4)
        } catch {
            throw DashboardError.badRequest("the body is not JSON: \(error)", code: "invalid_json")
        }
        guard case .object(let members) = body, case .string(let winner)? = body["winner"], members.count == 1 else {
            throw DashboardError.badRequest(#"send {"winner": "<variant name>"}"#)
        }
        let outcome: ExperimentOutcome
        do throws(ExperimentError) {
            outcome = try online.experiments.stopping(experiment.name, winner: winner, at: serving.clock())
        } catch {
            throw DashboardError.badRequest(error.description, code: "unknown_variant")
        }
        try store.recordExperimentOutcome(outcome)
        online.experiments.record(outcome)
        logger.notice("experiment stopped", metadata: ["experiment": "\(experiment.name)", "winner": "\(winner)"])
        var json = JSONWriter(capacity: 1024)
        writeSummary(of: experiment, into: &json, closing: true)
        return Self.respond(json)
    }

    private func configuredExperiment(_ request: HTTPRequest) throws -> Experiment {
        let name = try AdminQuery.identifier(request, "name")
        do throws(ExperimentError) {
            return try online.experiments.experiment(named: name)
        } catch {
            throw DashboardError(status: .notFound, code: "unknown_experiment", message: error.description)
        }
    }

    /// Hands buffered lists to the store and waits for their commit.
    private func commitServedLists() throws {
        guard let log = online.log else { return }
        log.flush()
        _ = try store.append([])
    }

    /// `{"name", "status", "start", "end", "winner", "stopped_at", "setup": […]}` (the object left open unless `closing`).
    private func writeSummary(of experiment: Experiment, into json: inout JSONWriter, closing: Bool) {
        let outcome = online.experiments.outcome(of: experiment.name)
        let now = serving.clock()
        let status = outcome != nil ? "stopped"
            : experiment.isRunning(at: now) ? "running" : (experiment.start.map { now < $0 } ?? false) ? "scheduled" : "ended"
        json.beginObject()
        json.key("name"); json.string(experiment.name)
        json.key("status"); json.string(status)
        json.key("start"); if let start = experiment.start { json.string(RFC3339.format(start)) } else { json.null() }
        json.key("end"); if let end = experiment.end { json.string(RFC3339.format(end)) } else { json.null() }
        json.key("winner"); if let outcome { json.string(outcome.winner) } else { json.null() }
        json.key("stopped_at"); if let outcome { json.string(RFC3339.format(outcome.stoppedAt)) } else { json.null() }
        json.key("setup")
        json.beginArray()
        for variant in experiment.variants {
            json.beginObject()
            json.key("name"); json.string(variant.name)
            json.key("model"); json.string(variant.model.rawValue)
            json.key("weight"); json.number(variant.weight)
            json.key("filter"); if let filter = variant.filter { json.string(filter.description) } else { json.null() }
            json.endObject()
        }
        json.endArray()
        if closing { json.endObject() }
    }

    private func writeRemembering(into json: inout JSONWriter) {
        json.beginObject()
        json.key("enabled"); json.bool(online.log != nil)
        if let log = online.log {
            let statistics = log.statistics
            json.key("served"); json.int(statistics.served)
            json.key("remembered"); json.int(statistics.remembered)
            json.key("dropped"); json.int(statistics.dropped)
            json.key("sample_rate"); json.number(1 / Double(statistics.samplingStep))
            json.key("buffered_bytes"); json.int(statistics.bufferedBytes)
            json.key("retention_seconds"); json.number(log.settings.retention)
        }
        json.endObject()
    }

    private static func write(_ row: OnlineFigures.Row, into json: inout JSONWriter) {
        json.beginObject()
        if !row.variant.isEmpty {
            json.key("experiment"); json.string(row.experiment)
            json.key("variant"); json.string(row.variant)
        }
        json.key("model"); json.string(row.model)
        json.key("lists"); json.int(row.lists)
        json.key("lists_served"); json.int(row.servedLists)
        json.key("attributed_lists"); json.int(row.clickThrough.successes)
        write(row.clickThrough, as: "ctr", into: &json)
        json.key("converted_lists"); json.int(row.conversion.successes)
        write(row.conversion, as: "conversion_rate", into: &json)
        json.key("events_attributed"); json.int(row.eventsAttributed)
        json.key("events_per_list"); json.number(row.eventsPerList)
        json.key("events_by_type"); writeCounts(row.events, into: &json)
        json.key("positions")
        json.beginArray()
        for count in row.positions { json.int(count) }
        json.endArray()
        json.endObject()
    }

    /// `"<name>": value, "<name>_low": …, "<name>_high": …`.
    private static func write(_ estimate: ProportionEstimate, as name: String, into json: inout JSONWriter) {
        json.key(name); json.number(estimate.value)
        json.key(name + "_low"); json.number(estimate.low)
        json.key(name + "_high"); json.number(estimate.high)
    }

    /// The comparison with the test's name and burn-in (`minimum_lists`: below it in either arm, `p_value` is 1).
    private static func write(_ comparison: ExperimentReport.Comparison, of report: ExperimentReport, into json: inout JSONWriter) {
        json.beginObject()
        json.key("variant"); json.string(comparison.variant)
        json.key("metric"); json.string("ctr")
        json.key("difference"); json.number(comparison.difference.difference)
        json.key("low"); json.number(comparison.difference.low)
        json.key("high"); json.number(comparison.difference.high)
        json.key("p_value"); json.number(comparison.pValue)
        json.key("test"); json.string(report.test)
        json.key("minimum_lists"); json.int(report.minimumLists)
        json.endObject()
    }

    private static func writeCounts(_ counts: [String: Int], into json: inout JSONWriter) {
        json.beginObject()
        for (key, value) in counts.sorted(by: { $0.key < $1.key }) {
            json.key(key); json.int(value)
        }
        json.endObject()
    }
}
