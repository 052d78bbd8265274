#if canImport(Glibc)
import Glibc
import Locking
import Synchronization
import Dispatch

/// Called on an I/O thread for every complete request; must answer through the responder, and must not
/// block (hand slow work to another queue and call `send` from there).
package typealias HTTPHandler = @Sendable (HTTPRequest, HTTPResponder) -> Void

/// An HTTP/1.1 server over non-blocking POSIX sockets and epoll, with a fixed set of I/O threads.
///
/// Each I/O thread owns an epoll instance, accepts from the shared listening socket, and owns the
/// connections it accepted. Handlers are called on that thread and answer through an `HTTPResponder`.
package final class HTTPServer: Sendable {
    /// The limits and timeouts in force.
    package let configuration: HTTPServerConfiguration
    let handler: HTTPHandler
    /// Told, for a debug log line, of each connection that ended in a protocol failure before any request
    /// (a failed TLS handshake, plain HTTP on the TLS port, an HTTP/2 connection error).
    let onConnectionFailure: @Sendable (ConnectionFailure) -> Void
    private let state = Lock<ServerState>(ServerState())
    private let openConnections = Atomic<Int>(0)
    /// The TLS context new connections use (nil for plain HTTP); replaced by `reloadTLSCertificates()`.
    private let tls = Lock<TLSContext?>(nil)
    private let allClosed = DispatchSemaphore(value: 0)
    /// A canned answer for connections beyond `maxConnections`.
    let overloadResponse: [UInt8]

    private struct ServerState {
        var listener: Int32 = -1
        var port = 0
        var loops: [EventLoop] = []
        var draining = false
    }

    package init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), handler: @escaping HTTPHandler,
                onConnectionFailure: @escaping @Sendable (ConnectionFailure) -> Void = { _ in }) {
        self.configuration = configuration
        self.handler = handler
        self.onConnectionFailure = onConnectionFailure
        let body = Array(#"{"error":{"code":"unavailable","message":"too many connections","details":[]}}"#.utf8)
        overloadResponse = Array(("HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
            + "content-length: \(body.count)\r\nretry-after: 1\r\nconnection: close\r\n\r\n").utf8) + body
    }

    /// Loads the TLS certificate (when configured), binds, listens and starts the I/O threads. Returns the
    /// bound port (useful with port 0).
    @discardableResult
    package func start() throws(HTTPServerError) -> Int {
        signal(SIGPIPE, SIG_IGN)
        if let configuration = configuration.tls {
            do {
                let context = try TLSContext(configuration: configuration, offersHTTP2: self.configuration.http2Enabled)
                tls.withLock { $0 = context }
            } catch {
                throw .tls(error)
            }
        }
        let listener: Int32
        var loops: [EventLoop] = []
        do {
            listener = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            for _ in 0..<max(1, configuration.ioThreads) {
                loops.append(try EventLoop(server: self))
            }
        } catch {
            throw .socket(error)
        }
        let port = Socket.localPort(of: listener)
        state.withLock {
            $0.listener = listener
            $0.port = port
            $0.loops = loops
        }
        for loop in loops { loop.start(listener: listener) }
        return port
    }

    /// Loads the TLS certificate chain and key of `configuration` (when it has them) and lets them go: a check
    /// to make before any other start-up work, so that bad files stop a start before it touches anything.
    package static func checkTLSFiles(of configuration: HTTPServerConfiguration) throws(TLSError) {
        guard let tls = configuration.tls else { return }
        _ = try TLSContext(configuration: tls, offersHTTP2: configuration.http2Enabled)
    }

    /// Reads the certificate chain and key again (after they were renewed on disk): new connections use
    /// them, connections already open keep theirs. On failure the current ones stay in force.
    package func reloadTLSCertificates() throws(TLSError) {
        guard let configuration = configuration.tls else { return }
        let context = try TLSContext(configuration: configuration, offersHTTP2: self.configuration.http2Enabled)
        tls.withLock { $0 = context }
    }

    /// The context for a newly accepted connection.
    var tlsContext: TLSContext? { tls.withLock { $0 } }

    /// The bound port, once started.
    package var port: Int { state.withLock { $0.port } }

    /// Number of open client connections.
    package var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    /// Graceful shutdown: stops accepting, closes idle connections, lets in-flight requests finish
    /// (their connections close after the response), and after `drainTimeout` closes whatever is left.
    /// Blocks until every I/O thread has ended.
    package func shutdown() {
        let (loops, listener) = state.withLock { state -> ([EventLoop], Int32) in
            let result = (state.loops, state.draining ? -1 : state.listener)
            state.draining = true
            return result
        }
        guard listener >= 0 else { return }
        let drained = DispatchGroup()
        for loop in loops {
            drained.enter()
            loop.execute {
                loop.beginDraining()
                drained.leave()
            }
        }
        drained.wait()
        close(listener)
        if openConnections.load(ordering: .acquiring) > 0 {
            _ = allClosed.wait(timeout: .now() + .nanoseconds(Int(configuration.drainTimeout.nanoseconds)))
        }
        for loop in loops { loop.execute { loop.stop() } }
        for loop in loops { loop.join() }
        state.withLock { $0.loops = [] }
    }

    /// Counts a new connection; false when the cap is reached.
    func connectionOpened() -> Bool {
        let now = openConnections.add(1, ordering: .acquiringAndReleasing).newValue
        if now > configuration.maxConnections {
            return false
        }
        return true
    }

    func connectionClosed() {
        let now = openConnections.subtract(1, ordering: .acquiringAndReleasing).newValue
        if now == 0, state.withLock({ $0.draining }) { allClosed.signal() }
    }
}

/// A connection the server gave up on at the protocol level: only that connection is lost.
package struct ConnectionFailure: Sendable, CustomStringConvertible {
    /// The peer's IP address.
    package let remoteAddress: String
    /// What went wrong, e.g. OpenSSL's reason for a failed handshake.
    package let reason: String

    package var description: String { "\(remoteAddress): \(reason)" }
}

/// Why the server could not start.
package enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    /// Binding, listening or creating the event loops failed.
    case socket(SocketError)
    /// The TLS certificate or key could not be loaded.
    case tls(TLSError)

    package var description: String {
        switch self {
        case .socket(let error): error.description
        case .tls(let error): error.description
        }
    }
}
#endif
