import Glibc

/// Why the test client could not connect.
public enum TestClientError: Error {
    case cannotConnect(port: Int, errno: Int32)
}

/// A blocking loopback client that speaks raw bytes, for tests that must send malformed HTTP.
///
/// Open so that a TLS client can reuse the request and response handling and replace only the byte I/O
/// (`transmit` and `receive`).
open class TestClient {
    public let fd: Int32
    private var buffered: [UInt8] = []

    public init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw TestClientError.cannotConnect(port: port, errno: errno)
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    public func send(_ text: String) { send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { transmit($0.baseAddress! + offset, count: $0.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Writes up to `count` bytes; returns how many, or ≤ 0 on failure.
    open func transmit(_ bytes: UnsafeRawPointer, count: Int) -> Int {
        Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
    }

    /// Reads up to `count` bytes; returns how many, 0 at end of stream, < 0 on failure or timeout.
    open func receive(_ buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        recv(fd, buffer, count, 0)
    }

    /// Sends one well-formed request (with Host, and Content-Length when there is a body or the method is POST)
    /// and reads its response.
    public func request(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> TestResponse? {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        send(Array((head + "\r\n").utf8) + body)
        return readResponse(isHead: method == "HEAD")
    }

    public func shutdownWrite() { Glibc.shutdown(fd, Int32(SHUT_WR)) }

    /// Reads one response (head and Content-Length body); nil on EOF or timeout.
    public func readResponse(isHead: Bool = false) -> TestResponse? {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let headText = String(decoding: buffered[0..<end], as: UTF8.self)
                var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false)
                let statusLine = lines.removeFirst()
                let status = Int(statusLine.split(separator: " ")[1]) ?? 0
                var headers: [(String, String)] = []
                for line in lines {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    headers.append((parts[0].lowercased(), parts.count > 1 ? parts[1].trimmingCharacters() : ""))
                }
                let length = isHead || status == 100 || status == 204 ? 0
                    : Int(headers.first { $0.0 == "content-length" }?.1 ?? "0") ?? 0
                while buffered.count < end + 4 + length {
                    guard fill() else { return nil }
                }
                let body = Array(buffered[(end + 4)..<(end + 4 + length)])
                buffered.removeFirst(end + 4 + length)
                return TestResponse(status: status, headers: headers, body: body)
            }
            guard fill() else { return nil }
        }
    }

    /// True when the server closed the connection (EOF) before the read timeout.
    public func isClosedByServer() -> Bool {
        while true {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { receive($0.baseAddress!, count: $0.count) }
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { receive($0.baseAddress!, count: $0.count) }
        guard count > 0 else { return false }
        buffered.append(contentsOf: chunk[0..<count])
        return true
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffered.count >= needle.count else { return nil }
        for index in 0...(buffered.count - needle.count) where buffered[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

/// A response as the test client read it.
public struct TestResponse: Sendable {
    public let status: Int
    public let headers: [(String, String)]
    public let body: [UInt8]

    public func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

extension Substring {
    func trimmingCharacters() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

