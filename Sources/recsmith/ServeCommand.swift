import ArgumentParser
import Configuration
import Dispatch
import Foundation
import HTTPServer
import Logging
import Observability
import PostgresStore
import Service
import SyntheticData

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
    @Flag(help: ArgumentHelp(
        "Fill an empty store with a generated shop (items, users' tastes, purchases, carts, views), train at once and "
            + "print commands to try. The store goes in a new temporary directory unless --db or --store (or the config) names one."))
    var playground = false

    func run() throws {
        var resolved = try options.resolve(adding: serveOptions.flags)
        var setup: (playground: Playground, throwaway: Bool, filled: Bool)?
        if playground {
            // Never the default ./var store: a throwaway one, unless the user named a store.
            let throwaway = resolved.origins["db"] == nil && resolved.configuration.postgresStore == nil
            if throwaway {
                let directory = try Playground.makeDirectory()
                resolved = try options.resolve(adding: serveOptions.flags + [("db", directory + "/recsmith.sqlite")])
            }
            let playground = Playground(shop: PlaygroundShop(now: Date().timeIntervalSince1970))
            let filled = try playground.fill(resolved.configuration)
            setup = (playground, throwaway, filled)
        }
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
        if let setup, Self.waitForModels(of: service, stop: stop) {
            let guide = setup.playground.guide(
                base: "\(scheme)://\(shownHost):\(boundPort)",
                tokenFile: configuration.adminToken == nil ? configuration.generatedTokenPath : nil,
                storePath: configuration.postgresStore?.redacted ?? configuration.databasePath, throwaway: setup.throwaway,
                filled: setup.filled)
            FileHandle.standardOutput.write(Data(guide.utf8))
        }
        stop.wait()
        logger.info("shutting down: draining requests")
        service.shutdown()
        logger.info("stopped")
    }

    /// Waits until the first pass has published models (at most 10 minutes); false when a signal asked to stop
    /// first, which is left pending for the caller's wait.
    private static func waitForModels(of service: RecsmithService, stop: DispatchSemaphore) -> Bool {
        let deadline = DispatchTime.now() + .seconds(600)
        while !service.hasModels && DispatchTime.now() < deadline {
            if stop.wait(timeout: .now() + .milliseconds(100)) == .success {
                stop.signal()
                return false
            }
        }
        return service.hasModels
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

/// The flags only `serve` (and `config print`) take; each is a configuration key, and its help comes from
/// the settings table.
struct ServeOptions: ParsableArguments {
    @Option(help: .setting("host")) var host: String?
    @Option(help: .setting("port")) var port: String?
    @Option(help: .setting("tls_cert", valueName: "path")) var tlsCert: String?
    @Option(help: .setting("tls_key", valueName: "path")) var tlsKey: String?
    @Option(help: .setting("retrain_interval")) var retrainInterval: String?
    @Option(help: .setting("admin_token_file", valueName: "path")) var adminTokenFile: String?
    @Option(help: .setting("api_key_file", valueName: "path")) var apiKeyFile: String?
    @Option(help: .setting("rate_limit")) var rateLimit: String?
    @Option(help: .setting("rate_limit_burst")) var rateLimitBurst: String?
    @Flag(inversion: .prefixedNo, help: .setting("access_log")) var accessLog: Bool?
    @Option(help: .setting("synchronous")) var synchronous: String?
    @Option(help: .setting("io_threads")) var ioThreads: String?
    @Option(help: .setting("role")) var role: String?

    /// The flags given, as configuration keys.
    var flags: [(key: String, value: String?)] {
        [
            ("host", host), ("port", port), ("tls_cert", tlsCert), ("tls_key", tlsKey), ("retrain_interval", retrainInterval),
            ("admin_token_file", adminTokenFile), ("api_key_file", apiKeyFile), ("rate_limit", rateLimit), ("rate_limit_burst", rateLimitBurst),
            ("access_log", accessLog.map { String($0) }), ("synchronous", synchronous), ("io_threads", ioThreads),
            ("role", role),
        ]
    }
}
