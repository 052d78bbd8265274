import Catalogue
import Configuration
import EventStore
import Foundation
import HTTPServer
import Locking
import Logging
import Models
import Observability
import OnlineLoop
import Serving
import Training

/// The whole service: store, models, trainer and HTTP API, started and stopped together.
package final class RecsmithService: Sendable {
    package let configuration: ServiceConfiguration
    package let store: any EventStore
    package let registry = ModelRegistry()
    package let metrics = ServiceMetrics(version: RecsmithService.version)
    package let trainer: Trainer
    private let server: HTTPServer
    private let api: API
    private let logger: Logger
    /// The store, the trainer and the HTTP server, started in that order and stopped in reverse.
    private let lifecycle: Lifecycle
    /// With PostgreSQL: the trainer election and the model sets' listener.
    private let coordination: ClusterCoordination?

    /// Opens the store (an SQLite file after taking its lock, `StoreLockError.inUse` when another process serves
    /// it; or the PostgreSQL database `store` names), loads persisted models and prepares the HTTP server (not yet
    /// listening).
    package init(configuration: ServiceConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        // With PostgreSQL the newest set comes from the database (the elected trainer publishes there), once the
        // store has migrated it. Files load on the other core while the store rebuilds its in-memory index: neither
        // needs the other, and on a million items each takes about a second (a restart's time to its first answer).
        let databaseSnapshots = configuration.postgresStore.map {
            DatabaseSnapshotStore(directory: configuration.modelDirectory, target: $0)
        }
        let snapshots: any SnapshotStore = databaseSnapshots ?? SnapshotPersistence(directory: configuration.modelDirectory)
        let loadPersisted: () -> (set: ModelSet?, warnings: [String])
        if databaseSnapshots == nil {
            loadPersisted = BackgroundValue { snapshots.load() }.wait
        } else {
            loadPersisted = snapshots.load
        }
        // With SQLite, this process's claim on the store, one server per file (`StoreLock`); the lifecycle releases it.
        let opened = try OpenedStore(configuration)
        store = opened.store
        store.observeCommits { [metrics] commit in metrics.recordCommit(commit) }
        let adminToken: AdminToken
        if let configured = configuration.adminToken {
            adminToken = configured
        } else {
            let (token, generated) = try AdminToken.loadOrGenerate(at: configuration.generatedTokenPath)
            adminToken = token
            logger.notice(generated ? "generated an admin token" : "using the stored admin token",
                          metadata: ["file": "\(configuration.generatedTokenPath)"])
        }
        let (persisted, warnings) = loadPersisted()
        for warning in warnings { logger.warning("\(warning)") }
        if let persisted {
            registry.publish(persisted)
            metrics.recordModelSet(persisted, parameters: configuration.modelParameters, isNewPass: false)
            logger.info("loaded persisted models", metadata: ["version": "\(persisted.version)"])
        }
        let recordFeed = RecordFeed(store: store, limits: configuration.recordLimits, logger: logger)
        let catalogue = try CatalogueLoader(store: store, limits: configuration.recordLimits, logger: logger).load()
        let content = configuration.models.contains(.content)
            ? LiveContent(catalogue: catalogue, parameters: configuration.modelParameters.content) : nil
        content?.fitNow()
        recordFeed.attach(catalogue: catalogue, content: content)
        let metrics = metrics
        let observer = TrainerObserver(
            phaseEnded: { phase, seconds in metrics.recordTrainingPhase(phase, seconds: seconds) },
            published: { [parameters = configuration.modelParameters] set in
                metrics.recordModelSet(set, parameters: parameters, isNewPass: true)
                // A pass is a good moment to refresh the content model's term statistics and fold its overlay in.
                content?.refit()
            },
            failed: { metrics.trainingFailed() })
        var coordination: ClusterCoordination?
        if let target = configuration.postgresStore, let databaseSnapshots {
            coordination = ClusterCoordination(target: target, role: configuration.role, snapshots: databaseSnapshots, logger: logger)
        }
        self.coordination = coordination
        let isActive: @Sendable () -> Bool = switch (configuration.role, coordination) {
        case (.api, _): { false }
        case (_, let coordination?): { coordination.isLeader }
        case (_, nil): { true }
        }
        trainer = Trainer(store: store, registry: registry, settings: configuration.trainerSettings, snapshots: snapshots,
                          isActive: isActive, observer: observer, logger: logger)
        let serving = Serving(store: store, catalogue: catalogue, registry: registry, preference: configuration.models,
                              similarItems: configuration.similarItemsModel.kind, content: content,
                              observeIndexSearch: { [metrics] kind, method in metrics.recordIndexSearch(model: kind, method: method) })
        let experiments = Experiments(configuration.experiments, outcomes: try store.experimentOutcomes())
        let online = OnlineTracker(store: store, experiments: experiments,
                                   settings: configuration.online.recommendationIDs ? configuration.online.log : nil, clock: serving.clock)
        api = API(store: store, catalogue: catalogue, serving: serving, trainer: trainer, registry: registry, metrics: metrics,
                  adminToken: adminToken, configuration: configuration, online: online, isLeader: isActive, logger: logger)
        server = HTTPServer(configuration: configuration.http, handler: api.router().handle) { [logger] failure in
            logger.debug("connection failed", metadata: ["peer": "\(failure.remoteAddress)", "reason": "\(failure.reason)"])
        }
        lifecycle = Self.lifecycle(store: opened, log: online.log, trainer: trainer, registry: registry, metrics: metrics,
                                   coordination: coordination, configuration: configuration, server: server, api: api, logger: logger)
        registerScrapedGauges()
        if coordination != nil && configuration.role != .api {
            metrics.gauge("trainer_leader", "", "1 while this process is the active trainer of its database, else 0.") {
                isActive() ? 1 : 0
            }
        }
    }

    /// The parts in order of start; `shutdown` stops them in reverse.
    private static func lifecycle(
        store: OpenedStore, log: ServedListLog?, trainer: Trainer, registry: ModelRegistry, metrics: ServiceMetrics,
        coordination: ClusterCoordination?, configuration: ServiceConfiguration, server: HTTPServer, api: API, logger: Logger
    ) -> Lifecycle {
        let drainTimeout = configuration.http.drainTimeout
        // Train at start-up when the store has events the serving models have not seen (none loaded, or events
        // arrived since they were trained); a loaded snapshot keeps answering meanwhile.
        let catchUp: @Sendable () -> Void = {
            let trainedOn = registry.snapshot?.models.first?.events ?? 0
            let events = store.store.eventCount
            if events > 0 && events != trainedOn { trainer.requestPass() }
        }
        return Lifecycle([
            LifecyclePart(name: "store", start: {}, stop: {
                // Commits what is pending, then lets go of the store for the next process.
                store.close()
            }),
            LifecyclePart(name: "served lists", start: { log?.start() }, stop: {
                // After the last answer was sent: what is still buffered goes to the store before it closes.
                log?.stop()
            }),
            LifecyclePart(name: "trainer", start: {
                // An API replica never trains; with PostgreSQL a trainer catches up once elected (below).
                guard configuration.role != .api else { return }
                trainer.startSchedule()
                if coordination == nil { catchUp() }
            }, stop: {
                // Cancels a pass in progress at its next iteration and waits for it.
                trainer.stop()
            }),
            LifecyclePart(name: "coordination", start: {
                coordination?.start(loaded: { set in
                    registry.publish(set)
                    trainer.adopt(set)
                    metrics.recordModelSet(set, parameters: configuration.modelParameters, isNewPass: false)
                }, elected: catchUp)
            }, stop: {
                // Lets go of the trainer lock, so a standby takes over at once, and stops listening for model sets.
                coordination?.stop()
            }),
            LifecyclePart(name: "http", start: { _ = try server.start() }, stop: {
                // Drains requests, then the scoring they started, so no BLAS call outlives the process's teardown.
                server.shutdown()
                if !api.waitForScoring(timeout: drainTimeout) {
                    logger.warning("stopping with ranking requests still being scored after the drain timeout")
                }
            }),
        ])
    }

    /// The version `recsmith --version` and the `recsmith_build_info` metric report.
    package static let version = "0.3.0"

    private func registerScrapedGauges() {
        let (store, server, registry) = (store, server, registry)
        metrics.gauge("store_events", "count", "Events in the store.") { Double(store.eventCount) }
        metrics.gauge("store_size", "bytes", "Size of the store: its SQLite database and write-ahead log files, or its PostgreSQL database.") {
            Double(store.storedBytes ?? 0)
        }
        metrics.gauge("http_open_connections", "count", "Open HTTP connections.") { Double(server.connectionCount) }
        metrics.gauge("model_age", "seconds", "Time since the serving models were trained (0 before the first pass).") {
            registry.snapshot.map { max(0, Date().timeIntervalSince1970 - $0.trainedAt) } ?? 0
        }
    }

    /// Starts training, then listening (loading the TLS certificate when configured); returns the bound port.
    /// On failure, what had started is stopped again.
    package func start() throws -> Int {
        try lifecycle.start()
        return server.port
    }

    /// Whether a model set serves (a pass published one, or one was loaded at start).
    package var hasModels: Bool { registry.snapshot != nil }

    /// Reads the TLS certificate chain and key again (after renewal on disk): new connections get them,
    /// open ones keep theirs, and on failure the current ones stay in force. Does nothing without TLS.
    package func reloadTLSCertificates() throws(TLSError) {
        try server.reloadTLSCertificates()
    }

    /// Graceful stop, in reverse order of start: drains HTTP requests and the scoring they started, cancels and
    /// waits for a training pass in progress, commits pending writes and closes the store, then lets go of the
    /// store's lock. Calling it again does nothing; without `start` it still stops the trainer (tests drive it
    /// directly) before closing the store.
    package func shutdown() {
        lifecycle.stop()
    }
}

extension ServiceConfiguration {
    /// The trainer's part of the configuration.
    package var trainerSettings: TrainerSettings {
        TrainerSettings(
            // Content is not trained in passes: Serving keeps it current with the catalogue (`LiveContent`).
            models: models.filter { $0 != .content }, parameters: modelParameters, seed: seed, modelDirectory: modelDirectory,
            retrainInterval: retrainInterval, minNewEvents: minNewEventsForRetrain, growth: retrainGrowth,
            selection: servingModel == .auto ? { var selection = modelSelection; selection.seed = seed; return selection }() : nil,
            indexing: indexing)
    }
}
