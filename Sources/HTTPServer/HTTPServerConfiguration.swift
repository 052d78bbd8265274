/// Every limit and timeout of the HTTP server, with safe defaults.
package struct HTTPServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal, or `localhost`.
    package var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free port (read it back from `HTTPServer.port`).
    package var port: Int = 8080
    /// Number of event-loop threads; defaults to the number of cores.
    package var ioThreads: Int = max(1, min(System.coreCount, 8))
    /// Longest request line accepted; longer → 414.
    package var maxRequestLineBytes: Int = 8 * 1024
    /// Largest header section (all fields together); larger → 431.
    package var maxHeaderBytes: Int = 16 * 1024
    /// Most header fields in one request; more → 431.
    package var maxHeaderCount: Int = 100
    /// Largest request body; larger → 413, sent before the body is read.
    package var maxBodyBytes: Int = 8 * 1024 * 1024
    /// Time allowed from the first byte of a request to the end of its header section.
    package var headerReadTimeout: Duration = .seconds(10)
    /// Longest pause allowed between two reads of a request body.
    package var bodyIdleTimeout: Duration = .seconds(10)
    /// How long an idle keep-alive connection stays open between requests.
    package var keepAliveIdleTimeout: Duration = .seconds(30)
    /// Longest pause allowed while a response is being written to a slow reader.
    package var writeIdleTimeout: Duration = .seconds(30)
    /// Requests served on one connection before the server closes it.
    package var maxRequestsPerConnection: Int = 10_000
    /// Open connections beyond which new ones are answered 503 and closed.
    package var maxConnections: Int = 10_000
    /// Listen backlog.
    package var backlog: Int32 = 1024
    /// On shutdown, how long in-flight requests may take before their connections are closed anyway.
    package var drainTimeout: Duration = .seconds(10)
    /// Serve HTTPS with this certificate and key instead of plain HTTP (the TLS handshake must finish within
    /// `headerReadTimeout`).
    package var tls: TLSConfiguration?
    /// Accept cleartext HTTP/2 with prior knowledge (h2c) on a plain port, and offer `h2` through ALPN on a
    /// TLS one.
    package var http2Enabled: Bool = true
    /// HTTP/2: streams one connection may have open at once (`SETTINGS_MAX_CONCURRENT_STREAMS`); more are
    /// refused with RST_STREAM(REFUSED_STREAM).
    package var maxConcurrentStreams: Int = 100

    package init() {}
}

/// Facts about the machine the server runs on.
package enum System {
    /// Number of online processors.
    package static var coreCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

#if canImport(Glibc)
import Glibc
#endif
