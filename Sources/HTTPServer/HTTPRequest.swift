/// The protocol version of a request.
package enum HTTPVersion: Sendable, Equatable {
    case http1_0, http1_1, http2
}

/// A parsed HTTP request: head, decoded target and the complete body.
package struct HTTPRequest: Sendable {
    /// The method token exactly as sent (methods are case-sensitive).
    package var method: String
    /// The raw request-target, e.g. `/users/u%2F1/recommendations?k=5`.
    package var target: String
    /// The path part of the target, still percent-encoded.
    package var rawPath: Substring { target[..<queryMark] }
    /// The query part after `?`, still percent-encoded; empty when absent.
    package var rawQuery: Substring {
        let mark = queryMark
        return mark == target.endIndex ? "" : target[target.utf8.index(after: mark)...]
    }

    /// Index of the `?` in the target (searched byte-wise), or its end.
    private var queryMark: String.Index { target.utf8.firstIndex(of: UInt8(ascii: "?")) ?? target.endIndex }
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    package var body: [UInt8]
    /// Values captured by the route template, percent-decoded (`{user}` → `"a/b"` for `a%2Fb`).
    package var pathParameters: [String: String] = [:]
    /// The IP address of the connection's peer (`X-Forwarded-For` is not consulted); empty when unknown.
    package var remoteAddress: String

    /// Creates a request; the server fills `remoteAddress` from `getpeername(2)`.
    package init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders, body: [UInt8] = [],
                remoteAddress: String = "") {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The decoded query parameters, in order; `+` is a space as in HTML forms.
    /// - Throws: `PercentDecodingError` for an invalid escape, invalid UTF-8 or a NUL byte.
    package func queryItems() throws(PercentDecodingError) -> [(name: String, value: String)] {
        var items: [(name: String, value: String)] = []
        for item in rawQueryItems() {
            items.append((name: try percentDecode(item.name, plusAsSpace: true), value: try percentDecode(item.value, plusAsSpace: true)))
        }
        return items
    }

    /// The query parameters still percent-encoded, in order: for values whose own separators (such as the
    /// commas of a list) must be told apart from encoded data (`%2C`).
    package func rawQueryItems() -> [(name: Substring, value: Substring)] {
        rawQuery.split(byte: UInt8(ascii: "&")).map { pair in
            let parts = pair.split(byte: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            return (name: parts[0], value: parts.count > 1 ? parts[1] : "")
        }
    }

    /// True when the request declared a body with `Content-Length` (even 0) or `Transfer-Encoding`;
    /// routes that need a body answer 411 when it did not.
    package var declaresBody: Bool { headers.contains("content-length") || headers.contains("transfer-encoding") }

    /// True when the client asked to close the connection after this request (or is HTTP/1.0 without keep-alive).
    package var wantsClose: Bool {
        guard headers.contains("connection") else { return version == .http1_0 }
        let tokens = headers.values("connection").flatMap { $0.split(separator: ",") }
            .map { $0.trimmingSpaces().lowercased() }
        switch version {
        case .http1_1: return tokens.contains("close")
        case .http1_0: return !tokens.contains("keep-alive")
        case .http2: return false // HTTP/2 has no Connection field; its connections end with GOAWAY
        }
    }
}

extension Substring {
    /// Splits on an ASCII `byte`, comparing UTF-8 bytes instead of Characters: no grapheme breaking, which
    /// made `split(separator:)` the largest cost of routing a request (callgrind). An ASCII byte never occurs
    /// inside a multi-byte scalar, so the pieces are whole scalars.
    /// The pieces are slices of `self` taken at the byte's indices (converting UTF-8 view slices back to
    /// `Substring` went through a generic initialiser with dynamic casts: 5k instructions per request).
    package func split(byte: UInt8, maxSplits: Int = .max, omittingEmptySubsequences: Bool = true) -> [Substring] {
        let utf8 = self.utf8
        var pieces: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex, pieces.count < maxSplits {
            if utf8[index] == byte {
                if !(omittingEmptySubsequences && start == index) { pieces.append(self[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if !(omittingEmptySubsequences && start == utf8.endIndex) { pieces.append(self[start..<utf8.endIndex]) }
        return pieces
    }

    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
