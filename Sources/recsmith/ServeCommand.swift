import ArgumentParser
import Dispatch
import Foundation
import HTTPServer
import Logging
import Service

/// `recsmith serve`: runs the HTTP service until SIGTERM or SIGINT, then drains and exits 0.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the recommendation service.",
        discussion: "Every key can be set in the --config file, as RECSMITH_<KEY>, or as a flag; run `recsmith config print`."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var serveOptions: ServeOptions

    func run() throws {
        let resolved = try options.resolve(adding: serveOptions.flags)
        let configuration = resolved.configuration
        let logger = makeLogger(resolved)
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

/// The flags only `serve` (and `config print`) take; each is a configuration key.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (RECSMITH_HOST).") var host: String?
    @Option(help: "Port; 0 picks a free one (RECSMITH_PORT).") var port: String?
    @Option(help: "Time between scheduled retrains: 30s, 10m, 1h, or 0 for on demand only (RECSMITH_RETRAIN_INTERVAL).")
    var retrainInterval: String?
    @Option(help: "File holding the admin token (RECSMITH_ADMIN_TOKEN_FILE); RECSMITH_ADMIN_TOKEN gives it directly.")
    var adminTokenFile: String?
    @Option(help: "File holding the API key non-probe routes then require (RECSMITH_API_KEY_FILE); RECSMITH_API_KEY gives it directly.")
    var apiKeyFile: String?
    @Option(help: "Requests per second allowed per client; 0 turns the limit off (RECSMITH_RATE_LIMIT).") var rateLimit: String?
    @Option(help: "Requests a client may send at once; 0 means one second's worth (RECSMITH_RATE_LIMIT_BURST).")
    var rateLimitBurst: String?
    @Flag(inversion: .prefixedNo, help: "Log one line per request (RECSMITH_ACCESS_LOG).") var accessLog: Bool?
    @Option(help: "SQLite commit durability: full (a 2xx survives power loss) or normal (survives a crash of the process only) (RECSMITH_SYNCHRONOUS).")
    var synchronous: String?
    @Option(help: "Number of HTTP I/O threads; defaults to the number of cores (RECSMITH_IO_THREADS).") var ioThreads: String?

    /// The flags given, as configuration keys.
    var flags: [(key: String, value: String?)] {
        [
            ("host", host), ("port", port), ("retrain_interval", retrainInterval), ("admin_token_file", adminTokenFile),
            ("api_key_file", apiKeyFile), ("rate_limit", rateLimit), ("rate_limit_burst", rateLimitBurst),
            ("access_log", accessLog.map { String($0) }), ("synchronous", synchronous), ("io_threads", ioThreads),
        ]
    }
}
