#if canImport(Glibc)
internal import CNGHTTP2
import Glibc

/// The HTTP/2 side of one connection: libnghttp2 does the framing, HPACK, flow control and stream states;
/// this type gathers each stream's request, enforces our limits on it, and queues the responses.
///
/// Confined to the connection's event-loop thread: each member says so with `loop.assertOnLoopThread()`, a
/// debug-build check (nghttp2's callbacks run inside `receive` and `collectOutput`). nghttp2 never touches
/// the socket: bytes read go in through `receive(_:)`, frames to send come out of
/// `collectOutput(into:limit:)`. Requests are handed to `onRequest` whole; a request that breaks a limit is
/// handed over as its error instead, so the connection answers both the same way. Nothing may call
/// `collectOutput` from inside `onRequest`: nghttp2 forbids sending while it is receiving.
final class HTTP2Session {
    /// A complete request on one stream.
    struct Request {
        let method: String
        let target: String
        let headers: HTTPHeaders
        let body: [UInt8]
    }

    /// Called for each stream whose request is complete, or with the error that stream is to be answered.
    var onRequest: (Int32, Result<Request, HTTPParseError>) -> Void = { _, _ in }

    private var session: OpaquePointer?
    private let limits: HTTPServerConfiguration
    // Unretained, as in `HTTPConnection`: the loop outlives its connections and so their sessions.
    private unowned(unsafe) let loop: EventLoop
    private var streams: [Int32: Stream] = [:]
    /// Requests begun on this connection, for `maxRequestsPerConnection`.
    private var requestsBegun = 0

    /// What one stream has received and is sending.
    private struct Stream {
        var method = ""
        var path = ""
        var authority: String?
        var headers = HTTPHeaders()
        /// HPACK-decoded header list size so far (RFC 9113 §6.5.2: name + value + 32 per field).
        var headerListSize = 0
        var body: [UInt8] = []
        /// The first limit this request broke; it is answered with this once its headers are in.
        var failure: HTTPParseError?
        let openedAt: UInt64
        var lastReceivedAt: UInt64
        var headersComplete = false
        /// Handed to `onRequest` (as a request or as its error): no more input is of interest.
        var handedOver = false
        var answered = false
        var response: [UInt8] = []
        var responseOffset = 0
        /// Answered before the client finished sending: reset the stream (NO_ERROR) once the response is out,
        /// so that the client stops sending a body nobody reads.
        var resetAfterResponse = false

        init(now: UInt64) {
            openedAt = now
            lastReceivedAt = now
        }
    }

    /// A server session that announces our limits in its first SETTINGS frame; nil if nghttp2 cannot make one.
    init?(limits: HTTPServerConfiguration, loop: EventLoop) {
        loop.assertOnLoopThread()
        self.limits = limits
        self.loop = loop
        var callbacks: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0 else { return nil }
        defer { nghttp2_session_callbacks_del(callbacks) }
        Self.install(callbacks)
        guard nghttp2_session_server_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque()) == 0 else {
            return nil
        }
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                                   value: UInt32(clamping: limits.maxConcurrentStreams)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                                   value: UInt32(clamping: limits.maxHeaderBytes)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue),
                                   value: UInt32(Self.streamWindow)),
        ]
        guard nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count) == 0,
              nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0,
                                                    Self.connectionWindow) == 0
        else { return nil }
    }

    deinit {
        nghttp2_session_del(session)
    }

    /// Receive windows: large enough that an 8 MiB `POST /events` body streams without waiting for a
    /// WINDOW_UPDATE per 64 KiB; nghttp2 sends the updates as we consume.
    private static let streamWindow: Int32 = 1 << 20
    private static let connectionWindow: Int32 = 16 << 20

    // MARK: - Driving

    /// Processes bytes read from the peer. False on a fatal error (a bad connection preface, a flood): the
    /// connection should close. Other protocol errors make nghttp2 queue a GOAWAY and end the session.
    func receive(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        loop.assertOnLoopThread()
        return nghttp2_session_mem_recv(session, bytes.baseAddress, bytes.count) >= 0
    }

    /// Appends the frames that are ready to `output`, until about `limit` bytes are buffered. False on a
    /// fatal error.
    func collectOutput(into output: inout [UInt8], limit: Int) -> Bool {
        loop.assertOnLoopThread()
        while output.count < limit {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            if count < 0 { return false }
            guard count > 0, let data else { return true }
            output.append(contentsOf: UnsafeBufferPointer(start: data, count: count))
        }
        return true
    }

    /// True once the session has nothing more to read or send: after a GOAWAY with no stream left, or a
    /// connection error.
    var isFinished: Bool {
        loop.assertOnLoopThread()
        return nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0
    }

    /// Streams the peer has opened that are not closed yet.
    var hasOpenStreams: Bool {
        loop.assertOnLoopThread()
        return !streams.isEmpty
    }

    // MARK: - Answering

    /// Queues `response` on `stream` (ignored when the stream is gone or already answered). `date` is the
    /// `Date` header value; HEAD, 204 and 304 answers carry no DATA.
    func respond(to stream: Int32, with response: HTTPResponse, isHead: Bool, date: String) {
        loop.assertOnLoopThread()
        guard var state = streams[stream], !state.answered else { return }
        state.answered = true
        let code = response.status.code
        let noBody = isHead || code == 204 || code == 304 || code < 200
        state.response = noBody ? [] : response.body
        streams[stream] = state

        var fields: [(name: String, value: String)] = [(":status", String(code))]
        for field in response.headers where !Self.connectionSpecific.contains(field.name) {
            fields.append((field.name, field.value))
        }
        if !(code == 204 || code == 304 || code < 200) { fields.append(("content-length", String(response.body.count))) }
        fields.append(("date", date))
        let submitted = withHeaderList(fields) { list, count in
            if noBody { return nghttp2_submit_response(session, stream, list, count, nil) }
            var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: Self.readResponse)
            return nghttp2_submit_response(session, stream, list, count, &provider)
        }
        if submitted != 0 { reset(stream, code: NGHTTP2_INTERNAL_ERROR) }
    }

    /// Resets `stream` with `code` (for a request its handler never answered).
    func reset(_ stream: Int32, code: nghttp2_error_code) {
        loop.assertOnLoopThread()
        guard streams[stream] != nil else { return }
        streams[stream]?.answered = true
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream, code.rawValue)
    }

    /// Graceful shutdown: GOAWAY naming the last stream we took; streams up to it are still answered, and
    /// the session finishes when they are done.
    func goAway() {
        loop.assertOnLoopThread()
        _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue),
                                  nghttp2_session_get_last_proc_stream_id(session), NGHTTP2_NO_ERROR.rawValue, nil, 0)
    }

    /// Ends an idle connection: GOAWAY(NO_ERROR), after which the session is finished.
    func terminate() {
        loop.assertOnLoopThread()
        _ = nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue)
    }

    /// Answers 408 to every stream whose header block took longer than `headerReadTimeout`, or whose body
    /// paused longer than `bodyIdleTimeout`, as HTTP/1.1 does for its one request. True when it answered any.
    func expireStalledStreams(now: UInt64) -> Bool {
        loop.assertOnLoopThread()
        var answered = false
        for (id, stream) in streams where !stream.handedOver {
            if !stream.headersComplete, now - stream.openedAt >= limits.headerReadTimeout.nanoseconds {
                reject(id, HTTPParseError(.requestTimeout, code: "request_timeout", "request head not received in time"))
            } else if stream.headersComplete, now - stream.lastReceivedAt >= limits.bodyIdleTimeout.nanoseconds {
                reject(id, HTTPParseError(.requestTimeout, code: "request_timeout", "request body stalled"))
            } else {
                continue
            }
            answered = true
        }
        return answered
    }

    /// Fields HTTP/2 forbids in a message (RFC 9113 §8.2.2); framing is HTTP/2's own.
    private static let connectionSpecific: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "content-length",
    ]

    // MARK: - Receiving a request

    private func beginStream(_ id: Int32) {
        streams[id] = Stream(now: monotonicNanoseconds())
        requestsBegun += 1
        if requestsBegun == limits.maxRequestsPerConnection {
            // Like HTTP/1.1's `connection: close` after the last request: this stream is answered, later
            // ones are refused and the client opens a new connection.
            _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_NO_ERROR.rawValue, nil, 0)
        }
    }

    private func addHeader(_ id: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard var stream = streams[id], stream.failure == nil, !stream.headersComplete else { return }
        streams[id] = nil // edited in place, then put back, so the body and headers are not copied
        defer { streams[id] = stream }
        stream.headerListSize += name.count + value.count + 32
        if stream.headerListSize > limits.maxHeaderBytes || stream.headers.count >= limits.maxHeaderCount {
            stream.failure = HTTPParseError(.headerFieldsTooLarge, code: "header_fields_too_large",
                                            "header list larger than \(limits.maxHeaderBytes) bytes or \(limits.maxHeaderCount) fields")
            return
        }
        // nghttp2 has refused NUL, CR and LF; the HTTP/1.1 rules also refuse the other control characters.
        guard value.allSatisfy({ $0 == UInt8(ascii: "\t") || ($0 >= 0x20 && $0 != 0x7F) }) else {
            stream.failure = .bad("control character in header field value")
            return
        }
        let text = String(decoding: value, as: UTF8.self)
        switch name.first == UInt8(ascii: ":") ? String(decoding: name, as: UTF8.self) : "" {
        case ":method": stream.method = text
        case ":path": stream.path = text
        case ":authority": stream.authority = text
        case ":scheme": break
        default: stream.headers.append(lowercasedName: String(decoding: name, as: UTF8.self), value: text)
        }
    }

    private func endHeaders(_ id: Int32, endsStream: Bool) {
        guard var stream = streams[id], !stream.headersComplete else {
            // Trailers: their fields are not kept (as with HTTP/1.1 chunked trailers).
            if endsStream { handOver(id) }
            return
        }
        stream.headersComplete = true
        if stream.failure == nil {
            stream.failure = Self.validate(method: stream.method, path: stream.path, authority: stream.authority,
                                           headers: stream.headers, maxBodyBytes: limits.maxBodyBytes)
        }
        if let authority = stream.authority, !stream.headers.contains("host") {
            stream.headers.append(lowercasedName: "host", value: authority)
        }
        streams[id] = stream
        if stream.failure != nil || endsStream { handOver(id) }
    }

    private func addBody(_ id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard var stream = streams[id], !stream.handedOver else { return }
        streams[id] = nil
        stream.lastReceivedAt = monotonicNanoseconds()
        if stream.body.count + bytes.count > limits.maxBodyBytes {
            stream.failure = HTTPParseError(.contentTooLarge, code: "payload_too_large",
                                            "body larger than the limit of \(limits.maxBodyBytes) bytes")
            streams[id] = stream
            handOver(id)
            return
        }
        stream.body.append(contentsOf: bytes)
        streams[id] = stream
    }

    /// Hands the stream's request, or its error, to `onRequest` once.
    private func handOver(_ id: Int32) {
        guard var stream = streams[id], !stream.handedOver, !stream.answered else { return }
        stream.handedOver = true
        let body = stream.body
        stream.body = []
        streams[id] = stream
        if let failure = stream.failure {
            reject(id, failure)
            return
        }
        var headers = stream.headers
        // A body arrived in DATA frames: say so as HTTP/1.1 framing would, so routes that need a declared
        // body (411 otherwise) treat both protocols alike.
        if !body.isEmpty, !headers.contains("content-length") {
            headers.append(lowercasedName: "content-length", value: String(body.count))
        }
        onRequest(id, .success(Request(method: stream.method, target: stream.path, headers: headers, body: body)))
    }

    private func reject(_ id: Int32, _ error: HTTPParseError) {
        guard var stream = streams[id] else { return }
        stream.handedOver = true
        stream.body = []
        stream.resetAfterResponse = nghttp2_session_get_stream_remote_close(session, id) == 0
        streams[id] = stream
        onRequest(id, .failure(error))
    }

    /// The checks HTTP/1.1's parser makes on a request line, its Host and its framing, applied to the
    /// pseudo-headers and `host` (nghttp2 has checked their presence, order and the connection-specific
    /// fields, but lets `@`, `[` and `:` through anywhere in an authority).
    private static func validate(method: String, path: String, authority: String?, headers: HTTPHeaders,
                                 maxBodyBytes: Int) -> HTTPParseError? {
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return .bad("invalid request target") }
        guard path.hasPrefix("/") || (path == "*" && method == "OPTIONS") else {
            return .bad("request target must be an absolute path")
        }
        if let authority, let error = HostField.parseError(validating: authority, field: ":authority pseudo-header") {
            return error
        }
        let hosts = headers.values("host")
        if hosts.count > 1 { return .bad("more than one Host header") }
        if let host = hosts.first, let error = HostField.parseError(validating: host, field: "Host header") {
            return error
        }
        if let expectation = headers["expect"], expectation.lowercased() != "100-continue" {
            return HTTPParseError(.expectationFailed, code: "expectation_failed", "only Expect: 100-continue is supported")
        }
        if let length = headers["content-length"].flatMap(Int.init), length > maxBodyBytes {
            return HTTPParseError(.contentTooLarge, code: "payload_too_large",
                                  "body of \(length) bytes is larger than the limit of \(maxBodyBytes)")
        }
        return nil
    }

    // MARK: - Sending a response

    private func readResponse(_ id: Int32, into buffer: UnsafeMutablePointer<UInt8>, length: Int,
                              flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard var stream = streams[id] else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        streams[id] = nil
        let count = min(length, stream.response.count - stream.responseOffset)
        stream.response.withUnsafeBufferPointer { bytes in
            buffer.update(from: bytes.baseAddress! + stream.responseOffset, count: count)
        }
        stream.responseOffset += count
        if stream.responseOffset == stream.response.count {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            stream.response = []
        }
        streams[id] = stream
        return count
    }

    private func sentEndOfStream(_ id: Int32) {
        guard let stream = streams[id], stream.resetAfterResponse else { return }
        _ = nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), id, NGHTTP2_NO_ERROR.rawValue)
    }

    /// Calls `body` with `fields` as an `nghttp2_nv` array; nghttp2 copies names and values before returning.
    private func withHeaderList(_ fields: [(name: String, value: String)],
                                _ body: (UnsafePointer<nghttp2_nv>, Int) -> Int32) -> Int32 {
        var storage: [UInt8] = []
        var offsets: [(name: Int, nameLength: Int, value: Int, valueLength: Int)] = []
        for field in fields {
            let name = storage.count
            storage.append(contentsOf: field.name.utf8)
            let value = storage.count
            storage.append(contentsOf: field.value.utf8)
            offsets.append((name, value - name, value, storage.count - value))
        }
        // A byte past the fields, so the buffer has an address even when every name and value is empty.
        storage.append(0)
        return storage.withUnsafeMutableBufferPointer { bytes in
            let base = bytes.baseAddress!
            let list = offsets.map { entry in
                nghttp2_nv(name: base + entry.name, value: base + entry.value, namelen: entry.nameLength,
                           valuelen: entry.valueLength, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            return list.withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
        }
    }

    // MARK: - nghttp2 callbacks

    private static func install(_ callbacks: OpaquePointer?) {
        nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, user in
            guard let frame, HTTP2Session.isRequestHeaders(frame) else { return 0 }
            HTTP2Session.session(user).beginStream(frame.pointee.hd.stream_id)
            return 0
        }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, user in
            guard let frame, UInt32(frame.pointee.hd.type) == NGHTTP2_HEADERS.rawValue else { return 0 }
            HTTP2Session.session(user).addHeader(frame.pointee.hd.stream_id, name: UnsafeBufferPointer(start: name, count: nameLength),
                                    value: UnsafeBufferPointer(start: value, count: valueLength))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            guard let frame else { return 0 }
            let header = frame.pointee.hd
            let endsStream = header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            switch UInt32(header.type) {
            case NGHTTP2_HEADERS.rawValue: HTTP2Session.session(user).endHeaders(header.stream_id, endsStream: endsStream)
            case NGHTTP2_DATA.rawValue where endsStream: HTTP2Session.session(user).handOver(header.stream_id)
            default: break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, user in
            HTTP2Session.session(user).addBody(stream, UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_send_callback(callbacks) { _, frame, user in
            guard let frame else { return 0 }
            let header = frame.pointee.hd
            let type = UInt32(header.type)
            if header.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0,
               type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue {
                HTTP2Session.session(user).sentEndOfStream(header.stream_id)
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, _, user in
            HTTP2Session.session(user).streams[stream] = nil
            return 0
        }
    }

    private static let readResponse: nghttp2_data_source_read_callback = { _, stream, buffer, length, flags, _, user in
        guard let buffer, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
        return HTTP2Session.session(user).readResponse(stream, into: buffer, length: length, flags: flags)
    }

    private static func session(_ user: UnsafeMutableRawPointer?) -> HTTP2Session {
        Unmanaged<HTTP2Session>.fromOpaque(user!).takeUnretainedValue()
    }

    private static func isRequestHeaders(_ frame: UnsafePointer<nghttp2_frame>) -> Bool {
        UInt32(frame.pointee.hd.type) == NGHTTP2_HEADERS.rawValue && frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
    }
}
#endif
