import CNGHTTP2
import Glibc
import TestSupport

/// A blocking HTTP/2 client for the tests: nghttp2's client session over a `TestClient`'s byte I/O, so it
/// speaks h2c on a plain connection and h2 over a `TLSTestClient` whose ALPN picked `h2`.
final class HTTP2TestClient {
    /// What came back on one stream.
    struct Response {
        var status = 0
        var headers: [(name: String, value: String)] = []
        var body: [UInt8] = []
        /// The RST_STREAM error code, when the server reset the stream.
        var resetCode: UInt32?
        var closed = false

        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }
    }

    /// A request body, or one that never arrives (`stalls`), for timeout tests.
    private struct Upload {
        var bytes: [UInt8]
        var offset = 0
        var stalls = false
    }

    private let connection: TestClient
    private var session: OpaquePointer?
    private(set) var responses: [Int32: Response] = [:]
    private var uploads: [Int32: Upload] = [:]
    /// The error code of the server's GOAWAY, once one arrived.
    private(set) var goAwayCode: UInt32?
    /// The server closed the connection.
    private(set) var isClosed = false

    /// Starts the session: sends the preface and our SETTINGS.
    init(over connection: TestClient) {
        self.connection = connection
        var callbacks: OpaquePointer?
        nghttp2_session_callbacks_new(&callbacks)
        defer { nghttp2_session_callbacks_del(callbacks) }
        nghttp2_session_callbacks_set_on_header_callback(callbacks) { _, frame, name, nameLength, value, valueLength, _, user in
            let client = HTTP2TestClient.client(user)
            let stream = frame!.pointee.hd.stream_id
            let name = String(decoding: UnsafeBufferPointer(start: name, count: nameLength), as: UTF8.self)
            let value = String(decoding: UnsafeBufferPointer(start: value, count: valueLength), as: UTF8.self)
            if name == ":status" { client.responses[stream, default: Response()].status = Int(value) ?? 0 }
            client.responses[stream, default: Response()].headers.append((name, value))
            return 0
        }
        nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) { _, _, stream, data, length, user in
            HTTP2TestClient.client(user).responses[stream, default: Response()].body
                .append(contentsOf: UnsafeBufferPointer(start: data, count: length))
            return 0
        }
        nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
            let client = HTTP2TestClient.client(user)
            let header = frame!.pointee.hd
            switch UInt32(header.type) {
            case NGHTTP2_GOAWAY.rawValue: client.goAwayCode = frame!.pointee.goaway.error_code
            case NGHTTP2_RST_STREAM.rawValue:
                client.responses[header.stream_id, default: Response()].resetCode = frame!.pointee.rst_stream.error_code
            default: break
            }
            return 0
        }
        nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, stream, _, user in
            HTTP2TestClient.client(user).responses[stream, default: Response()].closed = true
            return 0
        }
        nghttp2_session_client_new(&session, callbacks, Unmanaged.passUnretained(self).toOpaque())
        nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nil, 0)
    }

    deinit {
        nghttp2_session_del(session)
    }

    /// Queues a request and returns its stream id; `stallingBody` opens a body that never arrives.
    @discardableResult
    func submit(_ method: String, _ path: String, authority: String = "127.0.0.1", headers: [(String, String)] = [],
                body: [UInt8]? = nil, stallingBody: Bool = false) -> Int32 {
        var fields = [(":method", method), (":scheme", "https"), (":authority", authority), (":path", path)] + headers
        if let body { fields.append(("content-length", String(body.count))) }
        var storage: [UInt8] = []
        var offsets: [(name: Int, nameLength: Int, value: Int, valueLength: Int)] = []
        for (name, value) in fields {
            let nameStart = storage.count
            storage += Array(name.utf8)
            let valueStart = storage.count
            storage += Array(value.utf8)
            offsets.append((nameStart, valueStart - nameStart, valueStart, storage.count - valueStart))
        }
        let hasBody = body != nil || stallingBody
        var provider = nghttp2_data_provider(source: nghttp2_data_source(ptr: nil), read_callback: { _, stream, buffer, length, flags, _, user in
            let client = HTTP2TestClient.client(user)
            guard var upload = client.uploads[stream] else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
            if upload.stalls { return Int(NGHTTP2_ERR_DEFERRED.rawValue) }
            let count = min(length, upload.bytes.count - upload.offset)
            upload.bytes.withUnsafeBufferPointer { buffer!.update(from: $0.baseAddress! + upload.offset, count: count) }
            upload.offset += count
            if upload.offset == upload.bytes.count { flags!.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue }
            client.uploads[stream] = upload
            return count
        })
        let stream = storage.withUnsafeMutableBufferPointer { bytes in
            let list = offsets.map { entry in
                nghttp2_nv(name: bytes.baseAddress! + entry.name, value: bytes.baseAddress! + entry.value,
                           namelen: entry.nameLength, valuelen: entry.valueLength, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue))
            }
            if !hasBody { return nghttp2_submit_request(session, nil, list, list.count, nil, nil) }
            return nghttp2_submit_request(session, nil, list, list.count, &provider, nil)
        }
        if hasBody { uploads[stream] = Upload(bytes: body ?? [], stalls: stallingBody) }
        responses[stream] = Response()
        return stream
    }

    /// Sends and receives until every submitted stream is closed, the server closes, or a read times out.
    func run(until done: ((HTTP2TestClient) -> Bool)? = nil) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            flushOutput()
            if let done, done(self) { return }
            if done == nil, responses.values.allSatisfy(\.closed) { return }
            let count = buffer.withUnsafeMutableBytes { connection.receive($0.baseAddress!, count: $0.count) }
            guard count > 0 else {
                isClosed = true
                return
            }
            _ = buffer.withUnsafeBufferPointer { nghttp2_session_mem_recv(session, $0.baseAddress, count) }
        }
    }

    /// One request, answered.
    func request(_ method: String, _ path: String, authority: String = "127.0.0.1", headers: [(String, String)] = [],
                 body: [UInt8]? = nil) -> Response {
        let stream = submit(method, path, authority: authority, headers: headers, body: body)
        run { $0.responses[stream]?.closed == true }
        return responses[stream] ?? Response()
    }

    /// Waits for the server to close the connection (after its GOAWAY).
    func runUntilClosed() {
        run { $0.isClosed }
    }

    private func flushOutput() {
        while true {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            guard count > 0, let data else { return }
            connection.send(Array(UnsafeBufferPointer(start: data, count: count)))
        }
    }

    private static func client(_ user: UnsafeMutableRawPointer?) -> HTTP2TestClient {
        Unmanaged<HTTP2TestClient>.fromOpaque(user!).takeUnretainedValue()
    }
}

/// Raw HTTP/2 frames, for what a well-behaved client library will not send.
enum HTTP2Frame {
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// One frame: 24-bit length, type, flags, 31-bit stream id, payload.
    static func make(type: UInt8, flags: UInt8 = 0, stream: UInt32 = 0, payload: [UInt8] = []) -> [UInt8] {
        let length = UInt32(payload.count)
        return [UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF), type, flags,
                UInt8(stream >> 24 & 0x7F), UInt8(stream >> 16 & 0xFF), UInt8(stream >> 8 & 0xFF), UInt8(stream & 0xFF)] + payload
    }

    /// Reads frames until the server closes or the read times out; returns their (type, payload) pairs.
    static func readAll(from connection: TestClient) -> [(type: UInt8, payload: [UInt8])] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { connection.receive($0.baseAddress!, count: $0.count) }
            if count <= 0 { break }
            bytes += chunk[0..<count]
        }
        var frames: [(type: UInt8, payload: [UInt8])] = []
        var offset = 0
        while offset + 9 <= bytes.count {
            let length = Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2])
            guard offset + 9 + length <= bytes.count else { break }
            frames.append((bytes[offset + 3], Array(bytes[(offset + 9)..<(offset + 9 + length)])))
            offset += 9 + length
        }
        return frames
    }

    /// The error code of a GOAWAY payload.
    static func goAwayCode(_ payload: [UInt8]) -> UInt32 {
        payload[4..<8].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
