import EventStore
import Foundation
import HTTPServer
import Models
import Prometheus
import Synchronization

/// The service's Prometheus metrics, exposed at `GET /metrics` in text format 0.0.4.
public final class ServiceMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let eventsAccepted: Counter
    private let eventsDuplicate: Counter
    private let eventsRejected: Counter
    private let trainingFailures: Counter
    private let trainingPasses: Counter
    private let commitEvents: ValueHistogram
    private let commitDuration: DurationHistogram
    private let commitFailures: Counter
    /// Gauges refreshed just before each scrape (store size, open connections, snapshot age).
    private let scrapeUpdates = Mutex<[@Sendable () -> Void]>([])
    /// Request counters and histograms by route, method and status, made once: the registry validates
    /// names and labels on every `make…` call, too slow for the request path.
    private let requestSeries = Mutex<[RequestKey: RequestSeries]>([:])

    private typealias RequestSeries = (count: Counter, latency: DurationHistogram, bytesIn: Counter, bytesOut: Counter)

    private struct RequestKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }
    private static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    public init() {
        eventsAccepted = registry.makeCounter(descriptor: Self.name("events_accepted", "total", "Events stored."), labels: [])
        eventsDuplicate = registry.makeCounter(
            descriptor: Self.name("events_duplicate", "total", "Events not stored because their id was seen before."), labels: [])
        eventsRejected = registry.makeCounter(
            descriptor: Self.name("events_rejected", "total", "Events refused by validation."), labels: [])
        trainingFailures = registry.makeCounter(
            descriptor: Self.name("training_failures", "total", "Training passes that failed."), labels: [])
        trainingPasses = registry.makeCounter(
            descriptor: Self.name("training_passes", "total", "Training passes that published models."), labels: [])
        commitEvents = registry.makeValueHistogram(
            descriptor: Self.name("store_commit_events", "", "Events per group-commit transaction."),
            buckets: [1, 10, 100, 1_000, 10_000, 100_000])
        commitDuration = registry.makeDurationHistogram(
            descriptor: Self.name("store_commit_duration", "seconds", "Time to write and commit one group-commit transaction."),
            labels: [], buckets: Self.latencyBuckets)
        commitFailures = registry.makeCounter(
            descriptor: Self.name("store_commit_failures", "total", "Group-commit transactions that failed."), labels: [])
        registry.makeGauge(descriptor: Self.name("process_start_time", "seconds", "Start time of the process, unix seconds."),
                           labels: []).set(Date().timeIntervalSince1970)
        registry.makeGauge(descriptor: Self.name("build_info", "", "Always 1; the labels name the build."),
                           labels: [("version", RecsmithService.version)]).set(1.0)
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "recsmith", metricName: metric, unitName: unit, helpText: help)
    }

    /// Counts one request, its body bytes in and out, and records its latency, by route template, method and status.
    func recordRequest(_ record: RequestRecord) {
        let (route, method, status) = (record.route, record.method, record.status)
        let key = RequestKey(route: route, method: method, status: status)
        let series = requestSeries.withLock { cache in
            if let series = cache[key] { return series }
            let series = (
                count: registry.makeCounter(
                    descriptor: Self.name("http_requests", "total", "HTTP requests answered."),
                    labels: [("route", route), ("method", method), ("status", String(status))]),
                latency: registry.makeDurationHistogram(
                    descriptor: Self.name("http_request_duration", "seconds", "Time from parsed request to response."),
                    labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets),
                bytesIn: registry.makeCounter(
                    descriptor: Self.name("http_request_body_bytes", "total", "Request body bytes received."),
                    labels: [("route", route), ("method", method)]),
                bytesOut: registry.makeCounter(
                    descriptor: Self.name("http_response_body_bytes", "total", "Response body bytes sent."),
                    labels: [("route", route), ("method", method)]))
            cache[key] = series
            return series
        }
        series.count.increment()
        series.latency.record(record.duration)
        series.bytesIn.increment(by: Int64(record.requestBodyBytes))
        series.bytesOut.increment(by: Int64(record.responseBodyBytes))
    }

    func recordIngest(accepted: Int, duplicates: Int) {
        eventsAccepted.increment(by: Int64(accepted))
        eventsDuplicate.increment(by: Int64(duplicates))
    }

    func recordRejected(_ count: Int) {
        eventsRejected.increment(by: Int64(count))
    }

    /// Records one phase of a training pass (`read`, `matrix`, a model kind, `persist`).
    func recordTrainingPhase(_ phase: String, seconds: Double) {
        registry.makeGauge(descriptor: Self.name("training_phase_duration", "seconds",
                                                 "Duration of each phase of the last pass: read, matrix, one per model, persist."),
                           labels: [("phase", phase)]).set(seconds)
    }

    /// Records one group-commit transaction of the store.
    func recordCommit(_ commit: GroupCommit) {
        guard commit.succeeded else {
            commitFailures.increment()
            return
        }
        commitEvents.record(Double(commit.events))
        commitDuration.record(commit.duration)
    }

    func trainingFailed() {
        trainingFailures.increment()
    }

    /// Records the sizes of a newly published model set; `parameters` give the factor counts.
    func recordModelSet(_ set: ModelSet, parameters: ModelParameters, isNewPass: Bool) {
        if isNewPass { trainingPasses.increment() }
        let users = Self.name("model_users", "count", "Users known to the model.")
        let items = Self.name("model_items", "count", "Items known to the model.")
        let factors = Self.name("model_factors", "count", "Latent factors of the model (0 for models without factors).")
        for trained in set.models {
            let labels = [("model", trained.kind.rawValue)]
            registry.makeGauge(descriptor: users, labels: labels).set(Double(trained.users))
            registry.makeGauge(descriptor: items, labels: labels).set(Double(trained.items))
            let factorCount = switch trained.kind {
            case .als: parameters.als.factors
            case .bpr: parameters.bpr.factors
            case .itemknn, .trending, .popular: 0
            }
            registry.makeGauge(descriptor: factors, labels: labels).set(Double(factorCount))
        }
        registry.makeGauge(descriptor: Self.name("model_trained_at", "seconds", "When the serving models were trained, unix seconds."),
                           labels: []).set(set.trainedAt)
    }

    /// Makes a gauge that is set to `value()` before every scrape.
    func gauge(_ name: String, _ unit: String, _ help: String, value: @escaping @Sendable () -> Double) {
        let gauge = registry.makeGauge(descriptor: Self.name(name, unit, help), labels: [])
        scrapeUpdates.withLock { $0.append { gauge.set(value()) } }
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        for update in scrapeUpdates.withLock({ $0 }) { update() }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
