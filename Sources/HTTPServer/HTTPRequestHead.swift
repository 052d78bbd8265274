/// How the body of a request is delimited (RFC 9112 §6).
enum BodyFraming: Equatable {
    case none
    case contentLength(Int)
    case chunked
}

/// The request line and header section of one request, validated, before its body is read.
struct HTTPRequestHead {
    var method: String
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    var framing: BodyFraming
    var expectsContinue: Bool
}

/// Parses the head of a request from the start of a byte buffer.
///
/// Strict by design (RFC 9110/9112): single spaces in the request line, token rules for the
/// method and field names, no whitespace before a colon, no obs-fold, no control characters in
/// values, `Host` exactly once for HTTP/1.1 and always `uri-host [":" port]` (`HostField`), one
/// unambiguous body framing. A bare LF is accepted as a line ending (as RFC 9112 §2.2 allows); a bare CR
/// is not.
struct HTTPRequestHeadParser {
    enum Result {
        case incomplete
        case complete(HTTPRequestHead, consumed: Int)
        case failed(HTTPParseError)
    }

    let limits: HTTPServerConfiguration

    func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        var position = 0
        // RFC 9112 §2.2: ignore empty lines before the request line (a few, not an unbounded stream).
        var skipped = 0
        while skipped < 4, position < bytes.count, bytes[position] == .cr || bytes[position] == .lf {
            if bytes[position] == .cr {
                guard position + 1 < bytes.count else { return .incomplete }
                guard bytes[position + 1] == .lf else { return .failed(.bad("bare CR before the request line")) }
                position += 1
            }
            position += 1
            skipped += 1
        }
        let lineStart = position
        guard let lineEnd = bytes.firstLineFeed(from: lineStart, limit: limits.maxRequestLineBytes + 2) else {
            if bytes.count - lineStart > limits.maxRequestLineBytes {
                return .failed(HTTPParseError(.uriTooLong, code: "uri_too_long",
                                              "request line longer than \(limits.maxRequestLineBytes) bytes"))
            }
            return .incomplete
        }
        var requestLine: (method: String, target: String, version: HTTPVersion)
        switch parseRequestLine(bytes, from: lineStart, to: lineEnd) {
        case .success(let line): requestLine = line
        case .failure(let error): return .failed(error)
        }
        if requestLine.target.utf8.count > limits.maxRequestLineBytes {
            return .failed(HTTPParseError(.uriTooLong, code: "uri_too_long", "request target too long"))
        }
        position = lineEnd + 1

        var headers = HTTPHeaders()
        let headerStart = position
        while true {
            guard let end = bytes.firstLineFeed(from: position, limit: limits.maxHeaderBytes + 2 - (position - headerStart)) else {
                if bytes.count - headerStart > limits.maxHeaderBytes {
                    return .failed(Self.headersTooLarge("header section larger than \(limits.maxHeaderBytes) bytes"))
                }
                return .incomplete
            }
            if end - position > limits.maxHeaderBytes || end - headerStart > limits.maxHeaderBytes {
                return .failed(Self.headersTooLarge("header section larger than \(limits.maxHeaderBytes) bytes"))
            }
            var contentEnd = end
            if contentEnd > position, bytes[contentEnd - 1] == .cr { contentEnd -= 1 }
            if contentEnd == position {
                position = end + 1
                break
            }
            guard headers.count < limits.maxHeaderCount else {
                return .failed(Self.headersTooLarge("more than \(limits.maxHeaderCount) header fields"))
            }
            switch parseField(bytes, from: position, to: contentEnd) {
            case .success(let field): headers.append(lowercasedName: field.name, value: field.value)
            case .failure(let error): return .failed(error)
            }
            position = end + 1
        }
        if requestLine.target.hasPrefix("http://") || requestLine.target.hasPrefix("https://") {
            requestLine.target = Self.originForm(ofAbsolute: requestLine.target)
        }
        switch Self.validate(method: requestLine.method, version: requestLine.version, headers: headers) {
        case .success(let (framing, expectsContinue)):
            let head = HTTPRequestHead(method: requestLine.method, target: requestLine.target, version: requestLine.version,
                                       headers: headers, framing: framing, expectsContinue: expectsContinue)
            return .complete(head, consumed: position)
        case .failure(let error):
            return .failed(error)
        }
    }

    private static func headersTooLarge(_ message: String) -> HTTPParseError {
        HTTPParseError(.headerFieldsTooLarge, code: "header_fields_too_large", message)
    }

    private func parseRequestLine(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to lineFeed: Int
    ) -> Swift.Result<(method: String, target: String, version: HTTPVersion), HTTPParseError> {
        var end = lineFeed
        if end > start, bytes[end - 1] == .cr { end -= 1 }
        guard let firstSpace = (start..<end).first(where: { bytes[$0] == .space }) else {
            return .failure(.bad("malformed request line"))
        }
        guard let secondSpace = (firstSpace + 1..<end).first(where: { bytes[$0] == .space }) else {
            return .failure(.bad("malformed request line"))
        }
        let methodBytes = UnsafeBufferPointer(rebasing: bytes[start..<firstSpace])
        let targetBytes = UnsafeBufferPointer(rebasing: bytes[firstSpace + 1..<secondSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: bytes[secondSpace + 1..<end])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(\.isTokenCharacter) else {
            return .failure(.bad("invalid method"))
        }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.bad("invalid request target"))
        }
        let version: HTTPVersion
        switch String(decoding: versionBytes, as: UTF8.self) {
        case "HTTP/1.1": version = .http1_1
        case "HTTP/1.0": version = .http1_0
        case let other where other.utf8.count == 8 && other.hasPrefix("HTTP/")
            && other.utf8.enumerated().allSatisfy({ [5, 7].contains($0.offset) ? $0.element.isDigit : true })
            && Array(other.utf8)[6] == UInt8(ascii: "."):
            return .failure(HTTPParseError(.httpVersionNotSupported, code: "http_version_not_supported",
                                           "\(other) is not supported; use HTTP/1.1"))
        default:
            return .failure(.bad("invalid HTTP version"))
        }
        let method = String(decoding: methodBytes, as: UTF8.self)
        let target = String(decoding: targetBytes, as: UTF8.self)
        guard target.hasPrefix("/") || target.hasPrefix("http://") || target.hasPrefix("https://")
            || (target == "*" && method == "OPTIONS")
        else {
            return .failure(.bad("request target must be an absolute path"))
        }
        return .success((method, target, version))
    }

    private func parseField(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
    ) -> Swift.Result<(name: String, value: String), HTTPParseError> {
        if bytes[start] == .space || bytes[start] == .tab {
            return .failure(.bad("obsolete line folding is not accepted"))
        }
        guard let colon = (start..<end).first(where: { bytes[$0] == .colon }) else {
            return .failure(.bad("header field without a colon"))
        }
        let nameBytes = UnsafeBufferPointer(rebasing: bytes[start..<colon])
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(\.isTokenCharacter) else {
            return .failure(.bad("invalid header field name"))
        }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, bytes[valueStart] == .space || bytes[valueStart] == .tab { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == .space || bytes[valueEnd - 1] == .tab { valueEnd -= 1 }
        let valueBytes = UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd])
        guard valueBytes.allSatisfy({ $0 == .tab || ($0 >= 0x20 && $0 != 0x7F) }) else {
            return .failure(.bad("control character in header field value"))
        }
        let name = String(unsafeUninitializedCapacity: nameBytes.count) { buffer in
            for (index, byte) in nameBytes.enumerated() { buffer[index] = byte.asciiLowercased }
            return nameBytes.count
        }
        return .success((name, String(decoding: valueBytes, as: UTF8.self)))
    }

    private static func validate(
        method: String, version: HTTPVersion, headers: HTTPHeaders
    ) -> Swift.Result<(BodyFraming, Bool), HTTPParseError> {
        let hosts = headers.values("host")
        if version == .http1_1 && hosts.count != 1 {
            return .failure(.bad(hosts.isEmpty ? "missing Host header" : "more than one Host header"))
        }
        if hosts.count > 1 { return .failure(.bad("more than one Host header")) }
        // RFC 9112 §3.2: an invalid Host is a 400 in any request, whatever its version or target form.
        if let host = hosts.first, let error = HostField.parseError(validating: host, field: "Host header") {
            return .failure(error)
        }

        var expectsContinue = false
        if let expectation = headers["expect"] {
            guard expectation.lowercased() == "100-continue" else {
                return .failure(HTTPParseError(.expectationFailed, code: "expectation_failed",
                                               "only Expect: 100-continue is supported"))
            }
            expectsContinue = version == .http1_1
        }

        let codings = headers.values("transfer-encoding")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
        let lengths = headers.values("content-length")
        if !codings.isEmpty {
            if !lengths.isEmpty {
                return .failure(.bad("both Transfer-Encoding and Content-Length are present"))
            }
            if version == .http1_0 {
                return .failure(.bad("Transfer-Encoding is not allowed in HTTP/1.0"))
            }
            if let unknown = codings.first(where: { $0 != "chunked" }) {
                return .failure(HTTPParseError(.notImplemented, code: "not_implemented",
                                               "transfer coding '\(unknown)' is not supported"))
            }
            guard codings.count == 1 else { return .failure(.bad("chunked applied more than once")) }
            return .success((.chunked, expectsContinue))
        }
        if !lengths.isEmpty {
            var length: Int?
            for entry in lengths.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
                let text = entry.trimmingSpaces()
                guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy(\.isDigit), let value = Int(text) else {
                    return .failure(.bad("invalid Content-Length"))
                }
                if let length, length != value { return .failure(.bad("conflicting Content-Length values")) }
                length = value
            }
            return .success((length.map { $0 > 0 ? .contentLength($0) : .none } ?? .none, expectsContinue))
        }
        return .success((.none, expectsContinue))
    }

    /// `http://host:port/path?q` → `/path?q` (absolute-form, RFC 9112 §3.2.2).
    private static func originForm(ofAbsolute target: String) -> String {
        let afterScheme = target.drop { $0 != ":" }.dropFirst(3)
        guard let slash = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let rest = afterScheme[slash...]
        return rest.hasPrefix("?") ? "/" + rest : String(rest)
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Index of the next LF at or after `start`, looking at most `limit` bytes ahead. A CR not followed by
    /// LF is left to the line parsers, which reject control characters.
    func firstLineFeed(from start: Int, limit: Int) -> Int? {
        let end = Swift.min(count, start + Swift.max(limit, 0))
        var index = start
        while index < end {
            if self[index] == .lf { return index }
            index += 1
        }
        return nil
    }
}

extension UInt8 {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")

    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }

    var asciiLowercased: UInt8 { self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self + 32 : self }

    /// RFC 9110 §5.6.2 `tchar`.
    var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
