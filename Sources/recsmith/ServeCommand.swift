import ArgumentParser
import Dispatch
import EventStore
import Foundation
import HTTPServer
import Logging
import Service

/// `recsmith serve`: runs the HTTP service until SIGTERM or SIGINT, then drains and exits 0.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the recommendation service. Every flag can also be set as RECSMITH_<FLAG>."
    )

    @Option(help: "Address to listen on (RECSMITH_HOST).") var host: String?
    @Option(help: "Port; 0 picks a free one (RECSMITH_PORT).") var port: Int?
    @Option(help: "SQLite store path (RECSMITH_DB).") var db: String?
    @Option(help: "Models to train, in order of preference (RECSMITH_MODELS).") var models: String?
    @Option(help: "Time between scheduled retrains: 30s, 10m, 1h, or 0 for on demand only (RECSMITH_RETRAIN_INTERVAL).")
    var retrainInterval: String?
    @Option(help: "File holding the admin token (RECSMITH_ADMIN_TOKEN_FILE); RECSMITH_ADMIN_TOKEN gives it directly.")
    var adminTokenFile: String?
    @Option(help: "File holding the API key non-admin routes require (RECSMITH_API_KEY_FILE); RECSMITH_API_KEY gives it directly.")
    var apiKeyFile: String?
    @Option(help: "Requests per second allowed per client; 0 turns the limit off (RECSMITH_RATE_LIMIT).") var rateLimit: Double?
    @Option(help: "Requests a client may send at once; 0 means one second's worth (RECSMITH_RATE_LIMIT_BURST).") var rateLimitBurst: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical (RECSMITH_LOG_LEVEL).") var logLevel: String?
    @Option(help: "SQLite commit durability: full (a 200 survives power loss) or normal (survives a crash of the process only) (RECSMITH_SYNCHRONOUS).")
    var synchronous: String?
    @Option(help: "Number of HTTP I/O threads; defaults to the number of cores (RECSMITH_IO_THREADS).") var ioThreads: Int?

    func run() throws {
        let logger = try makeLogger(level: setting(logLevel, environment: "LOG_LEVEL"))
        var configuration = ServiceConfiguration()
        configuration.http.host = setting(host, environment: "HOST") ?? "127.0.0.1"
        if let portText = setting(port.map(String.init), environment: "PORT") {
            guard let value = Int(portText), (0...65535).contains(value) else {
                throw ServiceError.configuration("invalid port '\(portText)'")
            }
            configuration.http.port = value
        }
        if let text = setting(ioThreads.map(String.init), environment: "IO_THREADS") {
            guard let value = Int(text), (1...64).contains(value) else {
                throw ServiceError.configuration("invalid I/O thread count '\(text)'; use 1 to 64")
            }
            configuration.http.ioThreads = value
        }
        configuration.databasePath = setting(db, environment: "DB") ?? "./var/recsmith.sqlite"
        switch setting(synchronous, environment: "SYNCHRONOUS") ?? "full" {
        case "full": configuration.durability = .full
        case "normal": configuration.durability = .normal
        case let other: throw ServiceError.configuration("invalid synchronous mode '\(other)'; use full or normal")
        }
        if let text = setting(models, environment: "MODELS") { configuration.models = try ServiceConfiguration.parseModels(text) }
        if let text = setting(retrainInterval, environment: "RETRAIN_INTERVAL") {
            configuration.retrainInterval = try ServiceConfiguration.parseInterval(text)
        }
        if let path = setting(adminTokenFile, environment: "ADMIN_TOKEN_FILE") {
            configuration.adminToken = try AdminToken.read(from: path)
        } else if let token = ProcessInfo.processInfo.environment["RECSMITH_ADMIN_TOKEN"] {
            configuration.adminToken = AdminToken(token)
        }
        if let path = setting(apiKeyFile, environment: "API_KEY_FILE") {
            configuration.apiKey = try AdminToken.read(from: path)
        } else if let key = ProcessInfo.processInfo.environment["RECSMITH_API_KEY"] {
            guard let parsed = AdminToken(key) else { throw ServiceError.configuration("RECSMITH_API_KEY is empty") }
            configuration.apiKey = parsed
        }
        if let text = setting(rateLimit.map { String($0) }, environment: "RATE_LIMIT") {
            guard let value = Double(text), value >= 0, value.isFinite else {
                throw ServiceError.configuration("invalid rate limit '\(text)'; use requests per second, 0 for off")
            }
            configuration.rateLimit.requestsPerSecond = value
        }
        if let text = setting(rateLimitBurst.map(String.init), environment: "RATE_LIMIT_BURST") {
            guard let value = Int(text), value >= 0 else {
                throw ServiceError.configuration("invalid rate limit burst '\(text)'; use a whole number, 0 for one second's worth")
            }
            configuration.rateLimit.burst = value
        }

        let service = try RecsmithService(configuration: configuration, logger: logger)
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        let boundPort = try service.start()
        let shownHost = configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host
        FileHandle.standardOutput.write(Data("recsmith listening on http://\(shownHost):\(boundPort)\n".utf8))
        logger.info("listening", metadata: ["host": "\(configuration.http.host)", "port": "\(boundPort)",
                                            "db": "\(configuration.databasePath)"])
        stop.wait()
        logger.info("shutting down: draining requests")
        service.shutdown()
        logger.info("stopped")
    }
}
