import ArgumentParser
import Configuration
import Dispatch
import Foundation
import HTTPServer
import Logging
import Observability
import Service

/// `recsmith serve`: runs the HTTP service until SIGTERM or SIGINT, then drains and exits 0; SIGHUP reloads
/// the TLS certificate.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the recommendation service.",
        discussion: "Every key can be set in the --config file, as RECSMITH_<KEY>, or as a flag; run `recsmith config print`. "
            + "With --tls-cert and --tls-key the port speaks HTTPS (TLS 1.2 and 1.3); SIGHUP reloads both files."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var serveOptions: ServeOptions

    func run() throws {
        let resolved = try options.resolve(adding: serveOptions.flags)
        let configuration = resolved.configuration
        let logger = makeLogger(resolved)
        // Ignored from here on, so a signal during start-up cannot kill the process; the sources below act on them.
        for signalNumber in [SIGTERM, SIGINT, SIGHUP] { signal(signalNumber, SIG_IGN) }
        // Bad certificate or key files stop the start before the store is opened or a token generated.
        try HTTPServer.checkTLSFiles(of: configuration.http)
        let service = try RecsmithService(configuration: configuration, logger: logger)
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        let reload = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        reload.setEventHandler { Self.reloadCertificates(of: service, logger: logger) }
        reload.resume()
        sources.append(reload)
        let boundPort: Int
        do {
            boundPort = try service.start()
        } catch {
            service.shutdown()
            throw error
        }
        let shownHost = configuration.http.host.contains(":") ? "[\(configuration.http.host)]" : configuration.http.host
        let scheme = configuration.http.tls == nil ? "http" : "https"
        FileHandle.standardOutput.write(Data("recsmith listening on \(scheme)://\(shownHost):\(boundPort)\n".utf8))
        logger.info("listening", metadata: ["host": "\(configuration.http.host)", "port": "\(boundPort)", "scheme": "\(scheme)",
                                            "db": "\(configuration.databasePath)"])
        stop.wait()
        logger.info("shutting down: draining requests")
        service.shutdown()
        logger.info("stopped")
    }

    /// SIGHUP: new connections get the certificate and key read again from disk; on failure the current ones
    /// stay in force. The log names the files and OpenSSL's reason, never key material.
    private static func reloadCertificates(of service: RecsmithService, logger: Logger) {
        guard let tls = service.configuration.http.tls else {
            logger.info("SIGHUP ignored: TLS is off, there is no certificate to reload")
            return
        }
        do {
            try service.reloadTLSCertificates()
            logger.notice("reloaded the TLS certificate", metadata: ["cert": "\(tls.certificateChainPath)",
                                                                    "key": "\(tls.privateKeyPath)"])
        } catch {
            logger.error("TLS certificate reload failed; the previous certificate stays in use", metadata: ["error": "\(error)"])
        }
    }
}

/// The flags only `serve` (and `config print`) take; each is a configuration key.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on (RECSMITH_HOST).") var host: String?
    @Option(help: "Port; 0 picks a free one (RECSMITH_PORT).") var port: String?
    @Option(help: ArgumentHelp("PEM certificate chain, server certificate first; with --tls-key the port speaks HTTPS "
                               + "(RECSMITH_TLS_CERT).", valueName: "path"))
    var tlsCert: String?
    @Option(help: ArgumentHelp("PEM private key of the certificate (RECSMITH_TLS_KEY).", valueName: "path")) var tlsKey: String?
    @Option(help: "Time between scheduled retrains: 30s, 10m, 1h, or 0 for on demand only; the first pass starts by itself (RECSMITH_RETRAIN_INTERVAL).")
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
            ("host", host), ("port", port), ("tls_cert", tlsCert), ("tls_key", tlsKey), ("retrain_interval", retrainInterval),
            ("admin_token_file", adminTokenFile), ("api_key_file", apiKeyFile), ("rate_limit", rateLimit), ("rate_limit_burst", rateLimitBurst),
            ("access_log", accessLog.map { String($0) }), ("synchronous", synchronous), ("io_threads", ioThreads),
        ]
    }
}
