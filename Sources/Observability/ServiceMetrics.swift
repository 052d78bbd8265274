import EventStore
import Foundation
import HTTPServer
import Locking
import Metrics
import Models
import NearestNeighbors
import class Prometheus.PrometheusCollectorRegistry
import struct Prometheus.PrometheusMetricsFactory
import Serving

/// The service's metrics, recorded through the swift-metrics API and exposed at `GET /metrics` in the
/// Prometheus text format 0.0.4 by swift-prometheus.
///
/// Every handle is made with this instance's own `PrometheusMetricsFactory`, never through
/// `MetricsSystem.bootstrap`: one process can hold several services (the tests do), each with its own registry.
/// The factory maps a `Counter` to a Prometheus counter, a `Timer` to a histogram of seconds (it records
/// nanoseconds and the backend renders them as seconds), an aggregating `Recorder` to a value histogram
/// and a `Gauge` to a gauge; the swift-metrics label is the full Prometheus name.
package final class ServiceMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    /// The swift-metrics factory over `registry`: what it makes is what `exposition()` shows.
    let factory: any MetricsFactory
    private let eventsAccepted: Counter
    private let eventsDuplicate: Counter
    private let eventsRejected: Counter
    private let trainingFailures: Counter
    private let trainingPasses: Counter
    private let commitEvents: Recorder
    private let commitDuration: Metrics.Timer
    private let commitFailures: Counter
    /// `# HELP` lines by family name (see `Family`).
    private let helpLines: Lock<[String: [UInt8]]>
    /// Gauges refreshed just before each scrape (store size, open connections, snapshot age).
    private let scrapeUpdates = Lock<[@Sendable () -> Void]>([])
    /// Request handles by route, method and status, made once: making one validates the name and labels
    /// and takes the registry's lock, too slow for the request path.
    private let requestSeries = Lock<[RequestKey: RequestSeries]>([:])
    /// Served-list and attribution counters by their labels, made once like `requestSeries`.
    private let onlineSeries = Lock<[OnlineKey: Counter]>([:])
    /// The last minutes of traffic, for the dashboard; the dashboard's own routes are left out of it.
    package let traffic = TrafficWindow()

    private typealias RequestSeries = (count: Counter, latency: Metrics.Timer, bytesIn: Counter, bytesOut: Counter)

    private struct OnlineKey: Hashable {
        enum Family { case served, attributed, unattributed, indexSearch }
        let family: Family
        let model: String
        let experiment: String
        let variant: String
        let type: String
    }

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

    package init(version: String) {
        var prometheus = PrometheusMetricsFactory(registry: registry)
        prometheus.defaultDurationHistogramBuckets = Self.latencyBuckets
        prometheus.valueHistogramBuckets = [Family.commitEvents.name: [1, 10, 100, 1_000, 10_000, 100_000]]
        let factory: any MetricsFactory = prometheus
        self.factory = factory
        helpLines = Lock(Dictionary(uniqueKeysWithValues: Family.all.map { ($0.name, $0.helpLine) }))
        eventsAccepted = Counter(label: Family.eventsAccepted.name, factory: factory)
        eventsDuplicate = Counter(label: Family.eventsDuplicate.name, factory: factory)
        eventsRejected = Counter(label: Family.eventsRejected.name, factory: factory)
        trainingFailures = Counter(label: Family.trainingFailures.name, factory: factory)
        trainingPasses = Counter(label: Family.trainingPasses.name, factory: factory)
        commitEvents = Recorder(label: Family.commitEvents.name, aggregate: true, factory: factory)
        commitDuration = Metrics.Timer(label: Family.commitDuration.name, factory: factory)
        commitFailures = Counter(label: Family.commitFailures.name, factory: factory)
        // The registry keeps these two series; their handles are not needed again.
        Gauge(label: Family.processStartTime.name, factory: factory).record(Date().timeIntervalSince1970)
        Gauge(label: Family.buildInfo.name, dimensions: [("version", version)], factory: factory).record(1.0)
    }

    /// Counts one request, its body bytes in and out, and records its latency, by route template, method and status.
    package func recordRequest(_ record: RequestRecord) {
        let (route, method, status) = (record.route, record.method, record.status)
        let key = RequestKey(route: route, method: method, status: status)
        let series = requestSeries.withLock { cache in
            if let series = cache[key] { return series }
            let routeMethod = [("route", route), ("method", method)]
            let series = (
                count: Counter(label: Family.httpRequests.name, dimensions: routeMethod + [("status", String(status))],
                               factory: factory),
                latency: Metrics.Timer(label: Family.httpRequestDuration.name, dimensions: routeMethod, factory: factory),
                bytesIn: Counter(label: Family.httpRequestBodyBytes.name, dimensions: routeMethod, factory: factory),
                bytesOut: Counter(label: Family.httpResponseBodyBytes.name, dimensions: routeMethod, factory: factory))
            cache[key] = series
            return series
        }
        series.count.increment()
        series.latency.record(duration: record.duration)
        series.bytesIn.increment(by: record.requestBodyBytes)
        series.bytesOut.increment(by: record.responseBodyBytes)
        if !record.route.hasPrefix("/admin/") && !record.route.hasPrefix("/dashboard") {
            traffic.recordRequest(duration: record.duration)
        }
    }

    /// Counts the events of one ingest request that were stored and those skipped as duplicates.
    package func recordIngest(accepted: Int, duplicates: Int) {
        eventsAccepted.increment(by: accepted)
        eventsDuplicate.increment(by: duplicates)
        traffic.recordEvents(accepted)
    }

    /// Counts one ranking answer served, by the model that ranked it and its experiment and variant (empty outside
    /// one).
    package func recordServed(model: String, experiment: String, variant: String) {
        onlineCounter(OnlineKey(family: .served, model: model, experiment: experiment, variant: variant, type: "")).increment()
    }

    /// Counts the events of one ingest request attributed to served lists, by model, experiment, variant and type,
    /// and those that named a list but were not attributed.
    package func recordAttributions(_ attributions: [Attribution], unattributed: Int) {
        for attribution in attributions {
            onlineCounter(OnlineKey(family: .attributed, model: attribution.model, experiment: attribution.experiment,
                                    variant: attribution.variant, type: attribution.type)).increment()
        }
        if unattributed > 0 {
            onlineCounter(OnlineKey(family: .unattributed, model: "", experiment: "", variant: "", type: "")).increment(by: unattributed)
        }
    }

    /// The counter of `key`, made on first use (no allocation on the request path after that).
    private func onlineCounter(_ key: OnlineKey) -> Counter {
        onlineSeries.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter: Counter
            switch key.family {
            case .served:
                counter = Counter(label: Family.recommendationsServed.name, dimensions: [
                    ("model", key.model), ("experiment", key.experiment), ("variant", key.variant),
                ], factory: factory)
            case .attributed:
                counter = Counter(label: Family.eventsAttributed.name, dimensions: [
                    ("model", key.model), ("experiment", key.experiment), ("variant", key.variant), ("type", key.type),
                ], factory: factory)
            case .unattributed:
                counter = Counter(label: Family.eventsUnattributed.name, factory: factory)
            case .indexSearch:
                counter = Counter(label: Family.indexSearches.name, dimensions: [("model", key.model), ("method", key.type)],
                                  factory: factory)
            }
            cache[key] = counter
            return counter
        }
    }

    /// Counts one search of a model's HNSW index by how it ended: `bounded` (its longest vectors alone were
    /// provably the answer), `graph`, `exhaustive` (a small index, scanned) or `fallback` (the graph gave up on a
    /// selective filter and every item was scored).
    package func recordIndexSearch(model: ModelKind, method: NeighbourSearch.Method) {
        let name = switch method {
        case .bounded: "bounded"
        case .graph: "graph"
        case .exhaustive: "exhaustive"
        case .fallback: "fallback"
        }
        onlineCounter(OnlineKey(family: .indexSearch, model: model.rawValue, experiment: "", variant: "", type: name)).increment()
    }

    /// Counts events refused by validation.
    package func recordRejected(_ count: Int) {
        eventsRejected.increment(by: count)
    }

    /// Records one phase of a training pass (`read`, `matrix`, a model kind, `persist`).
    package func recordTrainingPhase(_ phase: String, seconds: Double) {
        Gauge(label: Family.trainingPhaseDuration.name, dimensions: [("phase", phase)], factory: factory).record(seconds)
    }

    /// Records one group-commit transaction of the store.
    package func recordCommit(_ commit: GroupCommit) {
        guard commit.succeeded else {
            commitFailures.increment()
            return
        }
        commitEvents.record(commit.events)
        commitDuration.record(duration: commit.duration)
    }

    /// Counts a training pass that failed.
    package func trainingFailed() {
        trainingFailures.increment()
    }

    /// Records the sizes of a newly published model set; `parameters` give the factor counts.
    package func recordModelSet(_ set: ModelSet, parameters: ModelParameters, isNewPass: Bool) {
        if isNewPass { trainingPasses.increment() }
        for trained in set.models {
            let model = [("model", trained.kind.rawValue)]
            Gauge(label: Family.modelUsers.name, dimensions: model, factory: factory).record(Double(trained.users))
            Gauge(label: Family.modelItems.name, dimensions: model, factory: factory).record(Double(trained.items))
            let factorCount = switch trained.kind {
            case .als: parameters.als.factors
            case .bpr: parameters.bpr.factors
            case .svd: parameters.svd.factors
            case .mf: parameters.mf.factors
            case .pairmf: parameters.pairMF.factors
            case .autoencoder: parameters.autoencoder.secondHidden > 0 ? parameters.autoencoder.secondHidden : parameters.autoencoder.hidden
            case .sequence: parameters.sequence.hidden
            case .mlp: parameters.mlp.factors
            case .itemknn, .trending, .popular, .content, .random, .softmax, .ease, .markov: 0
            }
            Gauge(label: Family.modelFactors.name, dimensions: model, factory: factory).record(Double(factorCount))
            if let evaluation = trained.evaluation {
                Gauge(label: Family.modelHeldOutNDCG.name, dimensions: model, factory: factory).record(evaluation.ndcg)
                Gauge(label: Family.modelHeldOutRecall.name, dimensions: model, factory: factory).record(evaluation.recall)
                Gauge(label: Family.modelHeldOutCoverage.name, dimensions: model, factory: factory).record(evaluation.coverage)
            }
            if set.defaultModel != nil {
                Gauge(label: Family.modelDefault.name, dimensions: model, factory: factory).record(set.defaultModel == trained.kind ? 1 : 0)
            }
        }
        Gauge(label: Family.modelTrainedAt.name, factory: factory).record(set.trainedAt)
    }

    /// Makes a gauge named `recsmith_<name>_<unit>` that is set to `value()` before every scrape.
    package func gauge(_ name: String, _ unit: String, _ help: String, value: @escaping @Sendable () -> Double) {
        let family = Family(name, unit, help)
        helpLines.withLock { $0[family.name] = family.helpLine }
        let gauge = Gauge(label: family.name, factory: factory)
        scrapeUpdates.withLock { $0.append { gauge.record(value()) } }
    }

    /// The Prometheus text exposition of every metric.
    package func exposition() -> [UInt8] {
        for update in scrapeUpdates.withLock({ $0 }) { update() }
        var emitted: [UInt8] = []
        registry.emit(into: &emitted)
        return Family.insertingHelp(into: emitted, lines: helpLines.withLock { $0 })
    }
}
