#if canImport(Glibc)
import Glibc
internal import CLinux

/// One client connection: reads and parses requests, hands each to the server's handler, writes
/// responses in order, and enforces the timeouts.
///
/// Confined to its event loop's thread: every member other types or files can call says so with
/// `loop.assertOnLoopThread()` (a debug-build check). Requests on one connection are handled one at a time,
/// so pipelined requests are answered in order: the next one is parsed only after the previous response
/// has been written.
final class HTTPConnection {
    private enum State {
        /// TLS only: the handshake is under way (bounded by the header read timeout).
        case handshaking
        /// Waiting for (the rest of) a request head; `startedAt` is when its first byte arrived.
        case awaitingHead(startedAt: UInt64?)
        case readingBody(HTTPRequestHead, body: [UInt8], remaining: Int)
        case readingChunkedBody(HTTPRequestHead, body: [UInt8], decoder: ChunkedBodyDecoder)
        case handling
        case writing
        /// Our side is shut down; unread input is discarded until the client closes or a short deadline,
        /// so a reset cannot destroy the response before the client has read it.
        case lingering
        /// HTTP/2 (ALPN `h2`, or the h2c preface): the session frames the connection and many requests are
        /// under way at once.
        case http2(HTTP2Session)
        case closed
    }

    // Members without `private` are used by HTTPConnection+HTTP2.swift too; it reads the I/O state and changes
    // it only through the methods under "I/O shared with HTTP/2".
    let fd: Int32
    /// Plain socket or TLS session.
    let transport: ConnectionTransport
    /// The peer's IP address, read once at accept (see `HTTPRequest.remoteAddress`).
    let remoteAddress: String
    // Unretained: the loop owns this connection and retains the server, so both outlive it.
    unowned(unsafe) let loop: EventLoop
    unowned(unsafe) let server: HTTPServer
    private var state = State.awaitingHead(startedAt: nil)
    private(set) var input = InputBuffer()
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var draining = false
    private var requestsServed = 0
    /// Incremented per request so that a late response for an old request is never written.
    private var generation = 0
    /// A drive (`drive`, `driveHTTP2`) is under way further up the stack: what it sets off (a response
    /// written inline, HTTP/2 beginning) leaves reading and writing to it.
    private(set) var isDriving = false
    /// The last read found the socket empty and no readiness event has come since: reading again would
    /// only return EAGAIN, so `drive` waits for epoll instead (saves a system call per request).
    private(set) var socketDrained = false
    /// TLS: the client's first byte was checked and opens a handshake record.
    private var sawHandshakeRecord = false
    /// When the current wait times out, on the monotonic clock; 0 for no deadline.
    private(set) var deadline: UInt64 = 0

    init(fd: Int32, transport: ConnectionTransport, loop: EventLoop, server: HTTPServer) {
        loop.assertOnLoopThread()
        self.fd = fd
        self.transport = transport
        remoteAddress = Socket.peerAddress(of: fd)
        self.loop = loop
        self.server = server
    }

    /// The HTTP/2 session while the connection speaks HTTP/2, else nil.
    var http2: HTTP2Session? {
        loop.assertOnLoopThread()
        if case .http2(let session) = state { return session }
        return nil
    }

    /// Writes a canned response to a connection we will not serve, then closes it.
    static func refuse(_ fd: Int32, response: [UInt8]) {
        _ = response.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        Glibc.close(fd)
    }

    func start() {
        loop.assertOnLoopThread()
        if transport.isTLS {
            state = .handshaking
            deadline = monotonicNanoseconds() + server.configuration.headerReadTimeout.nanoseconds
            continueHandshake()
            return
        }
        setIdleDeadline()
        drive()
    }

    func handle(events: UInt32) {
        loop.assertOnLoopThread()
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0, events & EPOLLIN.rawValue == 0 {
            close()
            return
        }
        if case .handshaking = state {
            continueHandshake()
            return
        }
        if case .http2 = state {
            handleHTTP2(events: events)
            return
        }
        // TLS may need to read before it can write, so a write in progress retries on either event.
        if case .writing = state, events & EPOLLOUT.rawValue != 0 || transport.isTLS {
            flush()
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 {
            markReadable()
            if case .lingering = state { discardInput() } else { drive() }
        }
    }

    /// Shutdown has begun: close now if idle, else close after the current response.
    func drain() {
        loop.assertOnLoopThread()
        draining = true
        if case .http2 = state {
            drainHTTP2()
        } else if case .awaitingHead(nil) = state, input.isEmpty {
            close()
        }
    }

    func checkDeadline(now: UInt64) {
        loop.assertOnLoopThread()
        if case .http2 = state {
            checkHTTP2Deadline(now: now) // each stream has deadlines of its own
            return
        }
        guard deadline != 0, now >= deadline else { return }
        switch state {
        case .awaitingHead(let startedAt):
            if startedAt == nil && input.isEmpty {
                close()
            } else {
                fail(HTTPParseError(.requestTimeout, code: "request_timeout", "request head not received in time"))
            }
        case .readingBody, .readingChunkedBody:
            fail(HTTPParseError(.requestTimeout, code: "request_timeout", "request body stalled"))
        case .handshaking, .writing, .lingering:
            close()
        case .handling, .http2, .closed:
            break
        }
    }

    /// Closes the socket and lets go of everything (the HTTP/2 session with the state); later calls do nothing.
    func close() {
        loop.assertOnLoopThread()
        if case .closed = state { return }
        state = .closed
        deadline = 0
        input.release()
        Glibc.close(fd)
        loop.connectionClosed(fd)
    }

    // MARK: - Reading and parsing

    /// Parses what is buffered and reads more until a request is dispatched or the socket has no more data.
    private func drive() {
        guard !isDriving else { return }
        whileDriving { driveHTTP1() }
        // The h2c preface switched protocols mid-read: what is buffered now belongs to HTTP/2.
        if case .http2 = state { driveHTTP2() }
    }

    private func driveHTTP1() {
        while true {
            switch state {
            case .awaitingHead, .readingBody, .readingChunkedBody:
                break
            case .handshaking, .handling, .writing, .lingering, .http2, .closed:
                return
            }
            if advance() { continue }
            if socketDrained { return }
            let limit = server.configuration.maxHeaderBytes + server.configuration.maxRequestLineBytes + 64 * 1024
            switch readInput(limit: limit) {
            case .bytes:
                if case .awaitingHead(nil) = state {
                    state = .awaitingHead(startedAt: monotonicNanoseconds())
                    deadline = monotonicNanoseconds() + server.configuration.headerReadTimeout.nanoseconds
                } else if case .readingBody = state {
                    deadline = monotonicNanoseconds() + server.configuration.bodyIdleTimeout.nanoseconds
                } else if case .readingChunkedBody = state {
                    deadline = monotonicNanoseconds() + server.configuration.bodyIdleTimeout.nanoseconds
                }
            case .wouldBlock, .full:
                return
            case .endOfStream, .failed:
                close()
                return
            }
        }
    }

    /// Makes progress on what is buffered; returns false when more bytes are needed.
    private func advance() -> Bool {
        switch state {
        case .awaitingHead:
            if input.isEmpty { return false }
            if requestsServed == 0, server.configuration.http2Enabled, !transport.isTLS {
                switch input.withReadable({ HTTP2Preface.match($0) }) {
                case .complete:
                    beginHTTP2()
                    return true
                case .partial:
                    return false
                case .none:
                    break
                }
            }
            let parser = HTTPRequestHeadParser(limits: server.configuration)
            let result = input.withReadable { parser.parse($0) }
            switch result {
            case .incomplete:
                return false
            case .failed(let error):
                fail(error)
                return true
            case .complete(let head, let consumed):
                input.consume(consumed)
                beginBody(of: head)
                return true
            }
        case .readingBody(let head, var body, let remaining):
            if input.isEmpty { return false }
            let taken = min(remaining, input.count)
            input.withReadable { body.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<taken])) }
            input.consume(taken)
            if taken == remaining {
                dispatch(head, body: body)
            } else {
                state = .readingBody(head, body: body, remaining: remaining - taken)
                return false
            }
            return true
        case .readingChunkedBody(let head, var body, var decoder):
            if input.isEmpty { return false }
            state = .handling // releases the body's storage from `state` so appending does not copy it
            do {
                let (progress, consumed) = try input.withReadable { buffer throws(HTTPParseError) in
                    try decoder.decode(buffer, into: &body)
                }
                input.consume(consumed)
                if progress == .done {
                    dispatch(head, body: body)
                    return true
                }
                state = .readingChunkedBody(head, body: body, decoder: decoder)
                return false
            } catch {
                fail(error)
                return true
            }
        case .handshaking, .handling, .writing, .lingering, .http2, .closed:
            return false
        }
    }

    private func beginBody(of head: HTTPRequestHead) {
        let limits = server.configuration
        switch head.framing {
        case .none:
            dispatch(head, body: [])
        case .contentLength(let length):
            guard length <= limits.maxBodyBytes else {
                fail(HTTPParseError(.contentTooLarge, code: "payload_too_large",
                                    "body of \(length) bytes is larger than the limit of \(limits.maxBodyBytes)"))
                return
            }
            if head.expectsContinue && input.count < length { sendContinue() }
            var body: [UInt8] = []
            body.reserveCapacity(length)
            state = .readingBody(head, body: body, remaining: length)
            deadline = monotonicNanoseconds() + limits.bodyIdleTimeout.nanoseconds
        case .chunked:
            if head.expectsContinue && input.isEmpty { sendContinue() }
            state = .readingChunkedBody(head, body: [], decoder: ChunkedBodyDecoder(
                maxBodyBytes: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes))
            deadline = monotonicNanoseconds() + limits.bodyIdleTimeout.nanoseconds
        }
    }

    private func sendContinue() {
        let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
        _ = interim.withUnsafeBytes { transport.send(fd, from: $0.baseAddress!, count: $0.count) }
    }

    // MARK: - Handling and writing

    private func dispatch(_ head: HTTPRequestHead, body: [UInt8]) {
        state = .handling
        deadline = 0
        requestsServed += 1
        generation += 1
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version,
                                  headers: head.headers, body: body, remoteAddress: remoteAddress)
        let keepAlive = !request.wantsClose && requestsServed < server.configuration.maxRequestsPerConnection
        let responder = HTTPResponder(connection: self, loop: loop, generation: generation, stream: 0,
                                      isHead: head.method == "HEAD", version: head.version, keepAlive: keepAlive)
        server.handler(request, responder)
    }

    /// Called on the loop thread with the handler's response (`stream` is the HTTP/2 stream, 0 for HTTP/1).
    func respond(_ response: HTTPResponse, generation: Int, stream: Int32, isHead: Bool, version: HTTPVersion, keepAlive: Bool) {
        loop.assertOnLoopThread()
        if stream != 0 {
            respondHTTP2(response, stream: stream, isHead: isHead)
            return
        }
        guard generation == self.generation, case .handling = state else { return }
        let close = !keepAlive || draining
        serialize(response, isHead: isHead, version: version, close: close)
        closeAfterWrite = close
        state = .writing
        deadline = monotonicNanoseconds() + server.configuration.writeIdleTimeout.nanoseconds
        flush()
    }

    /// Answers 500 to a request whose handler let go of its responder without answering.
    func abandon(generation: Int, stream: Int32) {
        loop.assertOnLoopThread()
        if stream != 0 {
            abandonHTTP2(stream: stream)
            return
        }
        let response = HTTPResponse.error(.internalServerError, code: "internal_error",
                                          message: "the server failed to handle this request")
        respond(response, generation: generation, stream: 0, isHead: false, version: .http1_1, keepAlive: false)
    }

    /// Answers a request that could not be parsed and closes the connection after the response.
    private func fail(_ error: HTTPParseError) {
        state = .handling
        generation += 1
        let response = HTTPResponse.error(error.status, code: error.code, message: error.message)
        respond(response, generation: generation, stream: 0, isHead: false, version: .http1_1, keepAlive: false)
    }

    private func serialize(_ response: HTTPResponse, isHead: Bool, version: HTTPVersion, close: Bool) {
        output.removeAll(keepingCapacity: true)
        outputOffset = 0
        output.append(contentsOf: version == .http1_0 ? "HTTP/1.0 ".utf8 : "HTTP/1.1 ".utf8)
        appendDecimal(response.status.code)
        output.append(.space)
        output.append(contentsOf: response.status.reason.utf8)
        output.append(contentsOf: "\r\n".utf8)
        for field in response.headers where field.name != "content-length" && field.name != "connection" {
            appendField(field.name, field.value)
        }
        let noBodyAllowed = response.status.code == 204 || response.status.code == 304 || response.status.code < 200
        if !noBodyAllowed {
            output.append(contentsOf: "content-length: ".utf8)
            appendDecimal(response.body.count)
            output.append(contentsOf: "\r\n".utf8)
        }
        appendField("date", loop.currentDate())
        if close {
            output.append(contentsOf: "connection: close\r\n".utf8)
        } else if version == .http1_0 {
            output.append(contentsOf: "connection: keep-alive\r\n".utf8)
        }
        output.append(contentsOf: "\r\n".utf8)
        if !isHead && !noBodyAllowed { output.append(contentsOf: response.body) }
    }

    private func appendField(_ name: String, _ value: String) {
        output.append(contentsOf: name.utf8)
        output.append(contentsOf: ": ".utf8)
        output.append(contentsOf: value.utf8)
        output.append(contentsOf: "\r\n".utf8)
    }

    private func appendDecimal(_ value: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var remaining = value
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            } while remaining > 0
            output.append(contentsOf: buffer[index...])
        }
    }

    private func flush() {
        if writeOutput() { finishResponse() }
    }

    /// Writes what is left of `output`; true once all of it is sent. On a write error the connection is
    /// closed (and false returned); when the socket is full, the next EPOLLOUT resumes.
    func writeOutput() -> Bool {
        loop.assertOnLoopThread()
        while outputOffset < output.count {
            let result = output.withUnsafeBytes { bytes in
                transport.send(fd, from: bytes.baseAddress! + outputOffset, count: bytes.count - outputOffset)
            }
            switch result {
            case .bytes(let written):
                outputOffset += written
                deadline = monotonicNanoseconds() + server.configuration.writeIdleTimeout.nanoseconds
            case .wouldBlock:
                return false
            case .endOfStream, .failed:
                close()
                return false
            }
        }
        return true
    }

    private func finishResponse() {
        if output.capacity > 256 * 1024 { output = [] } else { output.removeAll(keepingCapacity: true) }
        outputOffset = 0
        if closeAfterWrite {
            if case .tls(let session) = transport { session.shutdown() }
            linger()
            return
        }
        state = .awaitingHead(startedAt: nil)
        if input.isEmpty {
            setIdleDeadline()
        } else {
            state = .awaitingHead(startedAt: monotonicNanoseconds())
            deadline = monotonicNanoseconds() + server.configuration.headerReadTimeout.nanoseconds
        }
        drive()
    }

    /// Idle between requests: the keep-alive timeout.
    func setIdleDeadline() {
        loop.assertOnLoopThread()
        deadline = monotonicNanoseconds() + server.configuration.keepAliveIdleTimeout.nanoseconds
    }

    // MARK: - TLS handshake

    /// Plain HTTP sent to the TLS port gets a readable answer instead of a handshake failure.
    private static let plainRequestOnTLSPort: [UInt8] = {
        let body = #"{"error":{"code":"bad_request","message":"this port speaks HTTPS; the request was plain HTTP","details":[]}}"#
        return Array(("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n"
            + "connection: close\r\n\r\n" + body).utf8)
    }()

    private func continueHandshake() {
        guard case .tls(let session) = transport else { return }
        if !sawHandshakeRecord {
            // A TLS connection opens with a handshake record (content type 22); anything else is not TLS. The
            // handshake starts only once that byte is seen, so OpenSSL never reads past it unchecked.
            var first: UInt8 = 0
            let peeked = recv(fd, &first, 1, Int32(MSG_PEEK))
            if peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
            if peeked <= 0 {
                close()
                return
            }
            guard first == 0x16 else {
                server.onConnectionFailure(ConnectionFailure(remoteAddress: remoteAddress, reason: "plain HTTP sent to the TLS port"))
                _ = Self.plainRequestOnTLSPort.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                linger()
                return
            }
            sawHandshakeRecord = true
        }
        switch session.handshake() {
        case .done where session.selectedProtocol == "h2":
            beginHTTP2()
        case .done:
            state = .awaitingHead(startedAt: nil)
            setIdleDeadline()
            drive()
        case .wouldBlock:
            return
        case .failed(let reason):
            server.onConnectionFailure(ConnectionFailure(remoteAddress: remoteAddress, reason: "TLS handshake failed: \(reason)"))
            close()
        }
    }

    /// Shuts our side after a final response and discards what the client still sends, for at most 2 s, so
    /// that a reset cannot destroy the response before the client has read it.
    private func linger() {
        shutdown(fd, Int32(SHUT_WR))
        state = .lingering
        deadline = monotonicNanoseconds() + 2_000_000_000
        discardInput()
    }

    private func discardInput() {
        input.removeAll()
        while true {
            switch input.read(from: fd, through: .plain, limit: 64 * 1024) {
            case .bytes: input.removeAll()
            case .wouldBlock, .full: return
            case .endOfStream, .failed:
                close()
                return
            }
        }
    }

    // MARK: - I/O shared with HTTP/2

    /// From now on `session` frames the connection.
    func enterHTTP2(_ session: HTTP2Session) {
        loop.assertOnLoopThread()
        state = .http2(session)
    }

    /// Runs `body` as the connection's drive, with `isDriving` set; the caller has checked that no drive is
    /// under way.
    func whileDriving<Result>(_ body: () -> Result) -> Result {
        loop.assertOnLoopThread()
        assert(!isDriving, "drives do not nest")
        isDriving = true
        defer { isDriving = false }
        return body()
    }

    /// Reads once from the socket into `input`, and records whether that found the socket empty.
    func readInput(limit: Int) -> InputBuffer.ReadResult {
        loop.assertOnLoopThread()
        let result = input.read(from: fd, through: transport, limit: limit)
        switch result {
        case .bytes(_, let drained): socketDrained = drained
        case .wouldBlock: socketDrained = true
        case .full, .endOfStream, .failed: break
        }
        return result
    }

    /// A readiness event came: the socket may have bytes again, so the next drive reads before it waits.
    func markReadable() {
        loop.assertOnLoopThread()
        socketDrained = false
    }

    /// Hands every buffered input byte to `body`, then empties the buffer.
    func takeInput<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        loop.assertOnLoopThread()
        defer { input.removeAll() }
        return input.withReadable(body)
    }

    /// Once all of `output` is sent, empties it and lets `fill` append what goes next; false when `fill` fails.
    func refillOutput(_ fill: (inout [UInt8]) -> Bool) -> Bool {
        loop.assertOnLoopThread()
        guard outputOffset == output.count else { return true }
        output.removeAll(keepingCapacity: true)
        outputOffset = 0
        return fill(&output)
    }

    /// Part of `output` is still to be sent.
    var hasUnsentOutput: Bool {
        loop.assertOnLoopThread()
        return outputOffset < output.count
    }

    /// No deadline: HTTP/2 streams are under way, each with deadlines of its own.
    func clearDeadline() {
        loop.assertOnLoopThread()
        deadline = 0
    }
}
#endif
