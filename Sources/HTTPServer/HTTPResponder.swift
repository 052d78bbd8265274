#if canImport(Glibc)
/// Sends the response to one request, from any thread, exactly once.
///
/// `@unchecked Sendable`: the connection it refers to is only touched on its event loop's thread —
/// `send` either runs there already or hops there through `EventLoop.execute`.
public final class HTTPResponder: @unchecked Sendable {
    private let connection: HTTPConnection
    private let loop: EventLoop
    private let generation: Int
    private let isHead: Bool
    private let version: HTTPVersion
    private let keepAlive: Bool
    /// Called with the response just before it is written; set by the router before the handler runs.
    var observer: (@Sendable (HTTPResponse) -> Void)?

    init(connection: HTTPConnection, loop: EventLoop, generation: Int, isHead: Bool, version: HTTPVersion, keepAlive: Bool) {
        self.connection = connection
        self.loop = loop
        self.generation = generation
        self.isHead = isHead
        self.version = version
        self.keepAlive = keepAlive
    }

    /// Writes `response`; later calls for the same request are ignored.
    public func send(_ response: HTTPResponse) {
        observer?(response)
        if loop.isCurrentThread {
            connection.respond(response, generation: generation, isHead: isHead, version: version, keepAlive: keepAlive)
        } else {
            loop.execute { [self] in
                connection.respond(response, generation: generation, isHead: isHead, version: version, keepAlive: keepAlive)
            }
        }
    }
}
#endif
