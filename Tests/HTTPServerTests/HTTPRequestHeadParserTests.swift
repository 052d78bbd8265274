import Testing
@testable import HTTPServer

struct HTTPRequestHeadParserTests {
    private func parse(_ text: String, configure: (inout HTTPServerConfiguration) -> Void = { _ in }) -> HTTPRequestHeadParser.Result {
        var limits = HTTPServerConfiguration()
        configure(&limits)
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { HTTPRequestHeadParser(limits: limits).parse($0) }
    }

    @Test func parsesRequestLineAndLowerCasesFieldNames() throws {
        guard case .complete(let head, let consumed) = parse("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Thing:  v \r\n\r\nrest") else {
            Issue.record("expected a complete head")
            return
        }
        #expect(head.method == "GET")
        #expect(head.target == "/a?b=1")
        #expect(head.version == .http1_1)
        #expect(head.headers["x-thing"] == "v")
        #expect(head.framing == .none)
        #expect(consumed == "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Thing:  v \r\n\r\n".utf8.count)
    }

    @Test func waitsForTheEndOfTheHead() {
        guard case .incomplete = parse("GET /a HTTP/1.1\r\nHost: x\r\n") else {
            Issue.record("expected incomplete")
            return
        }
    }

    @Test func reportsLongRequestLineBeforeItEnds() {
        let result = parse("GET /" + String(repeating: "a", count: 100)) { $0.maxRequestLineBytes = 50 }
        guard case .failed(let error) = result else {
            Issue.record("expected failure")
            return
        }
        #expect(error.status == .uriTooLong)
    }

    @Test func keepsRepeatedFieldsInOrder() throws {
        guard case .complete(let head, _) = parse("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nA: 2\r\n\r\n") else {
            Issue.record("expected a complete head")
            return
        }
        #expect(head.headers.values("a") == ["1", "2"])
    }

    @Test func readsChunkedAndContentLengthFraming() {
        if case .complete(let head, _) = parse("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n") {
            #expect(head.framing == .chunked)
        } else {
            Issue.record("expected chunked")
        }
        if case .complete(let head, _) = parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n") {
            #expect(head.framing == .contentLength(12))
        } else {
            Issue.record("expected content-length")
        }
    }

    @Test(arguments: ["example.com", "example.com:8080", "127.0.0.1", "127.0.0.1:80", "[::1]", "[::1]:8080", "a%20b",
                      "xn--bcher-kva.example", "h:"])
    func acceptsValidHost(_ host: String) {
        guard case .complete(let head, _) = parse("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n") else {
            Issue.record("expected Host '\(host)' to be accepted")
            return
        }
        #expect(head.headers["host"] == host)
    }

    @Test(arguments: ["u@h", "h h", "h/x", "[::1", "::1", "h:port", "h:123456", "h:65536", "h:1:2", "[::1]x", "b\u{fc}cher.example",
                      "%zz", "", ":80"])
    func rejectsInvalidHostWith400(_ host: String) {
        guard case .failed(let error) = parse("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n") else {
            Issue.record("expected Host '\(host)' to be refused")
            return
        }
        #expect(error.status == .badRequest)
        #expect(error.message.hasPrefix("invalid Host header: "))
    }

    @Test func rejectsInvalidHostInHTTP10AndAbsoluteForm() {
        for request in ["GET / HTTP/1.0\r\nHost: u@h\r\n\r\n", "GET http://h/ HTTP/1.1\r\nHost: u@h\r\n\r\n"] {
            guard case .failed(let error) = parse(request) else {
                Issue.record("expected \(request.debugDescription) to be refused")
                continue
            }
            #expect(error.status == .badRequest)
        }
    }
}

struct ChunkedBodyDecoderTests {
    @Test func decodesAcrossArbitrarySplits() throws {
        let encoded = Array("3\r\nabc\r\nA;x=y\r\n0123456789\r\n0\r\nTrailer: t\r\n\r\nNEXT".utf8)
        for split in 1..<encoded.count - 4 {
            var decoder = ChunkedBodyDecoder(maxBodyBytes: 100, maxTrailerBytes: 100)
            var body: [UInt8] = []
            var pending = Array(encoded[0..<split])
            var rest = Array(encoded[split...])
            var done = false
            while !done {
                let (progress, consumed) = try pending.withUnsafeBufferPointer { try decoder.decode($0, into: &body) }
                pending.removeFirst(consumed)
                if progress == .done {
                    done = true
                } else {
                    #expect(!rest.isEmpty)
                    pending.append(rest.removeFirst())
                }
            }
            #expect(String(decoding: body, as: UTF8.self) == "abc0123456789")
            #expect(String(decoding: pending + rest, as: UTF8.self) == "NEXT")
        }
    }

    @Test func rejectsBodyOverLimit() {
        var decoder = ChunkedBodyDecoder(maxBodyBytes: 4, maxTrailerBytes: 100)
        var body: [UInt8] = []
        #expect(throws: HTTPParseError.self) {
            _ = try Array("5\r\nabcde\r\n0\r\n\r\n".utf8).withUnsafeBufferPointer { try decoder.decode($0, into: &body) }
        }
    }
}

struct PercentDecodingTests {
    @Test func decodesEscapesAndPlus() throws {
        #expect(try percentDecode("a%2Fb%20c") == "a/b c")
        #expect(try percentDecode("a+b", plusAsSpace: true) == "a b")
        #expect(try percentDecode("a+b") == "a+b")
        #expect(try percentDecode("%E2%9C%93") == "✓")
    }

    @Test func rejectsInvalidInput() {
        #expect(throws: PercentDecodingError.invalidEscape) { try percentDecode("%G1") }
        #expect(throws: PercentDecodingError.invalidEscape) { try percentDecode("abc%2") }
        #expect(throws: PercentDecodingError.nulByte) { try percentDecode("a%00") }
        #expect(throws: PercentDecodingError.invalidUTF8) { try percentDecode("%FF") }
    }
}
