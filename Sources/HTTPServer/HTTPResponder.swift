#if canImport(Glibc)
import Synchronization

/// Sends the response to one request, from any thread, exactly once.
///
/// The first `send` wins, by an atomic exchange on `sent`; any later one is a silent no-op — not written,
/// not observed (so metrics and the access log count the request once), not an error. A handler that races
/// two answers (a result against a timeout, say) may call `send` from both.
///
/// `@unchecked Sendable`: the connection it refers to is only touched on its event loop's thread —
/// `send` either runs there already or hops there through `EventLoop.execute`, and the code that touches the
/// connection checks it with `loop.assertOnLoopThread()` in debug builds. `observer` is set by the router
/// before the handler is given the responder, and only read by `send`. A responder released without a
/// response (a handler that lost it) answers 500 on HTTP/1.1 and resets its stream on HTTP/2, so no request
/// is left hanging.
package final class HTTPResponder: @unchecked Sendable {
    private let connection: HTTPConnection
    private let loop: EventLoop
    private let generation: Int
    /// The HTTP/2 stream; 0 for HTTP/1.x.
    private let stream: Int32
    private let isHead: Bool
    private let version: HTTPVersion
    private let keepAlive: Bool
    /// Set by the first `send`: the exchange lets exactly one of several racing calls through.
    private let sent = Atomic<Bool>(false)
    /// Called with the response just before it is written; set by the router before the handler runs.
    var observer: (@Sendable (HTTPResponse) -> Void)?

    init(connection: HTTPConnection, loop: EventLoop, generation: Int, stream: Int32, isHead: Bool, version: HTTPVersion,
         keepAlive: Bool) {
        self.connection = connection
        self.loop = loop
        self.generation = generation
        self.stream = stream
        self.isHead = isHead
        self.version = version
        self.keepAlive = keepAlive
    }

    deinit {
        guard !sent.load(ordering: .acquiring) else { return }
        let (connection, loop, generation, stream) = (connection, loop, generation, stream)
        let abandon = {
            loop.assertOnLoopThread()
            connection.abandon(generation: generation, stream: stream)
        }
        if loop.isCurrentThread {
            abandon()
        } else {
            nonisolated(unsafe) let onLoop = abandon
            loop.execute { onLoop() }
        }
    }

    /// Writes `response`; later calls for the same request are ignored (not written, not observed).
    package func send(_ response: HTTPResponse) {
        guard !sent.exchange(true, ordering: .acquiringAndReleasing) else { return }
        observer?(response)
        if loop.isCurrentThread {
            write(response)
        } else {
            loop.execute { [self] in write(response) }
        }
    }

    private func write(_ response: HTTPResponse) {
        loop.assertOnLoopThread()
        connection.respond(response, generation: generation, stream: stream, isHead: isHead, version: version,
                           keepAlive: keepAlive)
    }
}
#endif
