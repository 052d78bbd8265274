import EventStore
import Foundation
import HTTPServer
import Logging
import Models

/// The whole service: store, models, trainer and HTTP API, started and stopped together.
public final class RecsmithService: Sendable {
    public let configuration: ServiceConfiguration
    public let store: EventStore
    public let registry = ModelRegistry()
    public let metrics = ServiceMetrics()
    public let trainer: Trainer
    private let server: HTTPServer
    private let api: API
    private let logger: Logger
    /// This process's claim on the store: one server per store (see `StoreLock`).
    private let storeLock: StoreLock

    /// Takes the store's lock (`StoreLockError.inUse` when another process serves it), opens the store, loads
    /// persisted models and prepares the HTTP server (not yet listening).
    /// - Parameter afterFit: test hook run on every fitted model (see `Trainer`).
    public init(
        configuration: ServiceConfiguration, logger: Logger,
        afterFit: (@Sendable (any Recommender) throws -> any Recommender)? = nil
    ) throws {
        self.configuration = configuration
        self.logger = logger
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        storeLock = try StoreLock(databasePath: configuration.databasePath)
        store = try EventStore(configuration: configuration.storeConfiguration,
                               commitObserver: { [metrics] commit in metrics.recordCommit(commit) })
        let adminToken: AdminToken
        if let configured = configuration.adminToken {
            adminToken = configured
        } else {
            let (token, generated) = try AdminToken.loadOrGenerate(at: configuration.generatedTokenPath)
            adminToken = token
            logger.notice(generated ? "generated an admin token" : "using the stored admin token",
                          metadata: ["file": "\(configuration.generatedTokenPath)"])
        }
        let (persisted, warnings) = SnapshotPersistence(directory: configuration.modelDirectory).load()
        for warning in warnings { logger.warning("\(warning)") }
        if let persisted {
            registry.publish(persisted)
            metrics.recordModelSet(persisted, parameters: configuration.modelParameters, isNewPass: false)
            logger.info("loaded persisted models", metadata: ["version": "\(persisted.version)"])
        }
        trainer = Trainer(store: store, registry: registry, configuration: configuration, metrics: metrics,
                          logger: logger, afterFit: afterFit)
        let serving = Serving(store: store, registry: registry, preference: configuration.models,
                              similarItemsModel: configuration.similarItemsModel)
        api = API(store: store, serving: serving, trainer: trainer, registry: registry, metrics: metrics,
                      adminToken: adminToken, configuration: configuration, logger: logger)
        server = HTTPServer(configuration: configuration.http, handler: api.router().handle) { [logger] failure in
            logger.debug("connection failed", metadata: ["peer": "\(failure.remoteAddress)", "reason": "\(failure.reason)"])
        }
        registerScrapedGauges()
    }

    /// The version `recsmith --version` and the `recsmith_build_info` metric report.
    public static let version = "0.3.0"

    private func registerScrapedGauges() {
        let (store, server, registry) = (store, server, registry)
        let path = configuration.databasePath
        metrics.gauge("store_events", "count", "Events in the store.") { Double(store.eventCount) }
        metrics.gauge("store_size", "bytes", "Size of the store's database and write-ahead log files.") {
            Double([path, path + "-wal"].reduce(0) { total, file in total + (Self.fileSize(file) ?? 0) })
        }
        metrics.gauge("http_open_connections", "count", "Open HTTP connections.") { Double(server.connectionCount) }
        metrics.gauge("model_age", "seconds", "Time since the serving models were trained (0 before the first pass).") {
            registry.snapshot.map { max(0, Date().timeIntervalSince1970 - $0.trainedAt) } ?? 0
        }
    }

    private static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    }

    /// Loads the TLS certificate (when configured), starts listening and training; returns the bound port.
    public func start() throws(HTTPServerError) -> Int {
        let port = try server.start()
        trainer.startSchedule()
        // Train at start-up when the store has events the serving models have not seen (none loaded, or
        // events arrived since they were trained); a loaded snapshot keeps answering meanwhile.
        let trainedOn = registry.snapshot?.models.first?.events ?? 0
        if store.eventCount > 0 && store.eventCount != trainedOn { trainer.requestPass() }
        return port
    }

    /// Reads the TLS certificate chain and key again (after renewal on disk): new connections get them,
    /// open ones keep theirs, and on failure the current ones stay in force. Does nothing without TLS.
    public func reloadTLSCertificates() throws(TLSError) {
        try server.reloadTLSCertificates()
    }

    /// Graceful stop, in reverse order of start: drains HTTP requests and the scoring they started, cancels and
    /// waits for a training pass in progress, commits pending writes and closes the store, then lets go of the store's lock.
    public func shutdown() {
        server.shutdown()
        if !api.waitForScoring(timeout: configuration.http.drainTimeout) {
            logger.warning("stopping with ranking requests still being scored after the drain timeout")
        }
        trainer.stop()
        store.close()
        storeLock.release()
    }
}
