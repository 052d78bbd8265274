/// Every limit and timeout of the HTTP server, with safe defaults.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind: an IPv4 or IPv6 literal, or `localhost`.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free port (read it back from `HTTPServer.port`).
    public var port: Int = 8080
    /// Number of event-loop threads; defaults to the number of cores.
    public var ioThreads: Int = max(1, min(System.coreCount, 8))
    /// Longest request line accepted; longer → 414.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Largest header section (all fields together); larger → 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Most header fields in one request; more → 431.
    public var maxHeaderCount: Int = 100
    /// Largest request body; larger → 413, sent before the body is read.
    public var maxBodyBytes: Int = 8 * 1024 * 1024
    /// Time allowed from the first byte of a request to the end of its header section.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Longest pause allowed between two reads of a request body.
    public var bodyIdleTimeout: Duration = .seconds(10)
    /// How long an idle keep-alive connection stays open between requests.
    public var keepAliveIdleTimeout: Duration = .seconds(30)
    /// Longest pause allowed while a response is being written to a slow reader.
    public var writeIdleTimeout: Duration = .seconds(30)
    /// Requests served on one connection before the server closes it.
    public var maxRequestsPerConnection: Int = 10_000
    /// Open connections beyond which new ones are answered 503 and closed.
    public var maxConnections: Int = 10_000
    /// Listen backlog.
    public var backlog: Int32 = 1024
    /// On shutdown, how long in-flight requests may take before their connections are closed anyway.
    public var drainTimeout: Duration = .seconds(10)
    /// Serve HTTPS with this certificate and key instead of plain HTTP (the TLS handshake must finish within
    /// `headerReadTimeout`).
    public var tls: TLSConfiguration?
    /// Accept cleartext HTTP/2 with prior knowledge (h2c) on a plain port, and offer `h2` through ALPN on a
    /// TLS one.
    public var http2Enabled: Bool = true
    /// HTTP/2: streams one connection may have open at once (`SETTINGS_MAX_CONCURRENT_STREAMS`); more are
    /// refused with RST_STREAM(REFUSED_STREAM).
    public var maxConcurrentStreams: Int = 100

    public init() {}
}

/// Facts about the machine the server runs on.
public enum System {
    /// Number of online processors.
    public static var coreCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

#if canImport(Glibc)
import Glibc
#endif
