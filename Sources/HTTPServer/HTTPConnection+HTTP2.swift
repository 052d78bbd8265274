#if canImport(Glibc)
internal import CLinux
internal import CNGHTTP2
import Glibc

/// HTTP/2 on a connection: after ALPN picked `h2`, or when a plain connection opens with the HTTP/2
/// preface (h2c with prior knowledge). Reads feed the `HTTP2Session`; its frames are written through the
/// same transport and output buffer as HTTP/1.1 responses.
extension HTTPConnection {
    /// Output gathered from nghttp2 before it is written; more waits in nghttp2 (and its flow control).
    private static let outputChunk = 64 * 1024

    /// Switches to HTTP/2; what is buffered (the preface, perhaps more) goes to the new session.
    func beginHTTP2() {
        loop.assertOnLoopThread()
        guard let session = HTTP2Session(limits: server.configuration, loop: loop) else {
            close()
            return
        }
        session.onRequest = { [unowned(unsafe) self] stream, request in dispatchHTTP2(stream, request) }
        enterHTTP2(session)
        setHTTP2Deadline()
        // From inside `drive` (the h2c preface), `drive` goes on with HTTP/2 itself once it has unwound.
        if !isDriving { driveHTTP2() }
    }

    func handleHTTP2(events: UInt32) {
        loop.assertOnLoopThread()
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue) != 0 || transport.isTLS {
            markReadable()
            driveHTTP2()
        } else {
            writeHTTP2()
        }
    }

    /// Shutdown: GOAWAY, answer the streams already begun, then close.
    func drainHTTP2() {
        loop.assertOnLoopThread()
        http2?.goAway()
        writeHTTP2()
    }

    func checkHTTP2Deadline(now: UInt64) {
        loop.assertOnLoopThread()
        guard let session = http2 else { return }
        let answeredStalled = session.expireStalledStreams(now: now)
        if deadline != 0, now >= deadline {
            if hasUnsentOutput {
                close() // a reader that stopped taking our frames
                return
            }
            session.terminate()
        } else if !answeredStalled {
            return // nothing to send; writing now would also restart the idle deadline
        }
        writeHTTP2()
    }

    /// Called on the loop thread with a handler's response for `stream`.
    func respondHTTP2(_ response: HTTPResponse, stream: Int32, isHead: Bool) {
        loop.assertOnLoopThread()
        guard let session = http2 else { return }
        session.respond(to: stream, with: response, isHead: isHead, date: loop.currentDate())
        // Inside `driveHTTP2` nghttp2 is receiving and must not be asked to send; the drive writes after.
        if !isDriving { writeHTTP2() }
    }

    /// A handler let go of its responder unanswered: reset that stream, keep the connection.
    func abandonHTTP2(stream: Int32) {
        loop.assertOnLoopThread()
        guard let session = http2 else { return }
        session.reset(stream, code: NGHTTP2_INTERNAL_ERROR)
        if !isDriving { writeHTTP2() }
    }

    // MARK: - Reading and writing

    /// Feeds buffered and newly read bytes to the session until the socket is empty, then writes.
    func driveHTTP2() {
        loop.assertOnLoopThread()
        guard !isDriving, let session = http2 else { return }
        guard whileDriving({ receiveHTTP2(into: session) }) else { return }
        writeHTTP2()
    }

    /// The reading half of `driveHTTP2`; false when it closed the connection.
    private func receiveHTTP2(into session: HTTP2Session) -> Bool {
        while true {
            if !input.isEmpty {
                guard takeInput({ session.receive($0) }) else {
                    server.onConnectionFailure(ConnectionFailure(remoteAddress: remoteAddress,
                                                                 reason: "HTTP/2 connection preface or framing rejected"))
                    close()
                    return false
                }
            }
            if socketDrained { return true }
            switch readInput(limit: Self.outputChunk) {
            case .bytes, .wouldBlock, .full:
                continue
            case .endOfStream, .failed:
                close()
                return false
            }
        }
    }

    /// Writes what nghttp2 has queued until it has no more or the socket is full; closes the connection
    /// once the session is over.
    private func writeHTTP2() {
        guard let session = http2 else { return }
        while true {
            guard refillOutput({ session.collectOutput(into: &$0, limit: Self.outputChunk) }) else {
                close()
                return
            }
            if !hasUnsentOutput { break }
            guard writeOutput() else { return }
        }
        if session.isFinished {
            close()
            return
        }
        setHTTP2Deadline()
    }

    /// Idle (no stream open): the keep-alive timeout. Streams open: none at this level; each stream's own
    /// header and body timeouts apply (`HTTP2Session.expireStalledStreams`).
    private func setHTTP2Deadline() {
        guard let session = http2 else { return }
        if session.hasOpenStreams { clearDeadline() } else { setIdleDeadline() }
    }

    private func dispatchHTTP2(_ stream: Int32, _ request: Result<HTTP2Session.Request, HTTPParseError>) {
        switch request {
        case .failure(let error):
            respondHTTP2(.error(error.status, code: error.code, message: error.message), stream: stream, isHead: false)
        case .success(let request):
            let responder = HTTPResponder(connection: self, loop: loop, generation: 0, stream: stream,
                                          isHead: request.method == "HEAD", version: .http2, keepAlive: true)
            server.handler(HTTPRequest(method: request.method, target: request.target, version: .http2,
                                       headers: request.headers, body: request.body, remoteAddress: remoteAddress),
                           responder)
        }
    }
}

/// Recognises the HTTP/2 client connection preface (RFC 9113 §3.4) at the start of a plain connection.
enum HTTP2Preface {
    enum Match { case complete, partial, none }

    static let bytes = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// `.partial` while what arrived so far is a proper prefix of the preface.
    static func match(_ buffer: UnsafeBufferPointer<UInt8>) -> Match {
        let count = min(buffer.count, bytes.count)
        guard buffer.prefix(count).elementsEqual(bytes.prefix(count)) else { return .none }
        return count == bytes.count ? .complete : .partial
    }
}
#endif
