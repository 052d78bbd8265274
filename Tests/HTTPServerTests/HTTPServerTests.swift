import Glibc
import Locking
import Testing
import TestSupport
@testable import HTTPServer

/// A malformed or edge-case request and the status the server must answer it with.
struct EdgeCase: CustomTestStringConvertible, Sendable {
    let name: String
    let request: String
    let status: Int
    var testDescription: String { name }
}

private let longTarget = "/hello?" + String(repeating: "a", count: 9000)
private let manyHeaders = (0..<101).map { "x-h\($0): v\r\n" }.joined()
private let hugeHeader = "x-big: " + String(repeating: "b", count: 17 * 1024) + "\r\n"

let edgeCases: [EdgeCase] = [
    EdgeCase(name: "plain GET", request: "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 200),
    EdgeCase(name: "HTTP/1.0 without Host", request: "GET /hello HTTP/1.0\r\n\r\n", status: 200),
    EdgeCase(name: "bare LF line endings", request: "GET /hello HTTP/1.1\nHost: x\n\n", status: 200),
    EdgeCase(name: "leading empty line", request: "\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 200),
    EdgeCase(name: "absolute-form target", request: "GET http://x/hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 200),
    EdgeCase(name: "unknown route", request: "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", status: 404),
    EdgeCase(name: "known route, wrong method", request: "DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 405),
    EdgeCase(name: "QUERY method not routed", request: "QUERY /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 405),
    EdgeCase(name: "unknown method", request: "BREW /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 501),
    EdgeCase(name: "lower-case method", request: "get /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 501),
    EdgeCase(name: "missing Host in 1.1", request: "GET /hello HTTP/1.1\r\n\r\n", status: 400),
    EdgeCase(name: "two Host headers", request: "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status: 400),
    EdgeCase(name: "Host with userinfo", request: "GET /hello HTTP/1.1\r\nHost: u@h\r\n\r\n", status: 400),
    EdgeCase(name: "HTTP/2.0 version", request: "GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", status: 505),
    EdgeCase(name: "HTTP/1.2 version", request: "GET /hello HTTP/1.2\r\nHost: x\r\n\r\n", status: 505),
    EdgeCase(name: "garbage version", request: "GET /hello HTTQ/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "lower-case version", request: "GET /hello http/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "double space in request line", request: "GET  /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "missing version", request: "GET /hello\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "relative target", request: "GET hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "asterisk target for GET", request: "GET * HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "asterisk target for OPTIONS", request: "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", status: 204),
    EdgeCase(name: "OPTIONS on a route", request: "OPTIONS /hello HTTP/1.1\r\nHost: x\r\n\r\n", status: 204),
    EdgeCase(name: "non-ASCII in target", request: "GET /h\u{e9}llo HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "invalid percent escape", request: "GET /users/a%zz/echo HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "percent-encoded NUL", request: "GET /users/a%00/echo HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "invalid escape in query", request: "GET /users/a/echo?k=%4 HTTP/1.1\r\nHost: x\r\n\r\n", status: 400),
    EdgeCase(name: "request line too long", request: "GET \(longTarget) HTTP/1.1\r\nHost: x\r\n\r\n", status: 414),
    EdgeCase(name: "too many header fields", request: "GET /hello HTTP/1.1\r\nHost: x\r\n\(manyHeaders)\r\n", status: 431),
    EdgeCase(name: "header section too large", request: "GET /hello HTTP/1.1\r\nHost: x\r\n\(hugeHeader)\r\n", status: 431),
    EdgeCase(name: "space before colon", request: "GET /hello HTTP/1.1\r\nHost : x\r\n\r\n", status: 400),
    EdgeCase(name: "obs-fold continuation", request: "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", status: 400),
    EdgeCase(name: "header without colon", request: "GET /hello HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n", status: 400),
    EdgeCase(name: "control character in value", request: "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\u{01}b\r\n\r\n", status: 400),
    EdgeCase(name: "bare CR in header", request: "GET /hello HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n", status: 400),
    EdgeCase(name: "empty header name", request: "GET /hello HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n", status: 400),
    EdgeCase(name: "Content-Length and chunked (smuggling)",
             request: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
    EdgeCase(name: "conflicting Content-Length", request: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", status: 400),
    EdgeCase(name: "equal repeated Content-Length", request: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", status: 200),
    EdgeCase(name: "signed Content-Length", request: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", status: 400),
    EdgeCase(name: "hex Content-Length", request: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0x3\r\n\r\nabc", status: 400),
    EdgeCase(name: "huge Content-Length", request: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", status: 400),
    EdgeCase(name: "body over the limit", request: "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n", status: 413),
    EdgeCase(name: "unknown transfer coding", request: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", status: 501),
    EdgeCase(name: "chunked twice", request: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", status: 400),
    EdgeCase(name: "chunked in HTTP/1.0", request: "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400),
    EdgeCase(name: "chunked body with extension and trailer",
             request: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n", status: 200),
    EdgeCase(name: "invalid chunk size", request: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", status: 400),
    EdgeCase(name: "chunk size overflow", request: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", status: 413),
    EdgeCase(name: "chunk longer than its size", request: "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", status: 400),
    EdgeCase(name: "unsupported expectation", request: "GET /hello HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n", status: 417),
    EdgeCase(name: "POST without body framing", request: "POST /empty HTTP/1.1\r\nHost: x\r\n\r\n", status: 200),
    EdgeCase(name: "TLS ClientHello on the plain port", request: "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}\r\n\r\n", status: 400),
    EdgeCase(name: "near-miss of the HTTP/2 preface", request: "PRI * HTTP/2.0\r\nHost: x\r\n\r\n", status: 505),
    EdgeCase(name: "binary garbage", request: "\u{7f}\u{00}\u{ff}\u{13}garbage\r\n\r\n", status: 400),
    EdgeCase(name: "handler throws", request: "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n", status: 500),
]

@Suite(.serialized)
struct HTTPServerTests {
    @Test(arguments: edgeCases)
    func answersEdgeCaseAndKeepsServing(_ edgeCase: EdgeCase) throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send(edgeCase.request)
        let response = try #require(client.readResponse())
        #expect(response.status == edgeCase.status)
        if response.status >= 400 {
            #expect(response.text.hasPrefix(#"{"error":{"code":""#))
            #expect(response.header("content-type") == "application/json")
        }
        let next = try TestClient(port: server.port)
        next.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(next.readResponse()?.status == 200)
    }

    @Test func decodesPathParametersAndQuery() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("GET /users/a%2Fb%20c/echo?k=5&exclude=x%2Cy&q=a+b HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.text == "a/b c|k=5&exclude=x,y&q=a b")
    }

    @Test func reportsPeerAddressOfConnection() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("GET /peer HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.text == "127.0.0.1")
    }

    @Test func answersPipelinedRequestsInOrder() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
            + "GET /users/two/echo HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthree\r\n0\r\n\r\n")
        #expect(client.readResponse()?.text == "one")
        #expect(client.readResponse()?.text == "two|")
        #expect(client.readResponse()?.text == "three")
    }

    @Test func reusesKeepAliveConnection() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        for _ in 0..<50 {
            client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.header("connection") == nil)
        }
        #expect(server.connectionCount == 1)
    }

    @Test func closesAfterConnectionClose() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(client.readResponse()?.header("connection") == "close")
        #expect(client.isClosedByServer())
    }

    @Test func keepsHTTP10AliveOnlyWhenAsked() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(client.readResponse()?.header("connection") == "keep-alive")
        client.send("GET /hello HTTP/1.0\r\n\r\n")
        #expect(client.readResponse()?.header("connection") == "close")
        #expect(client.isClosedByServer())
    }

    @Test func answersHeadWithoutBody() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try #require(client.readResponse(isHead: true))
        #expect(head.header("content-length") == "5")
        #expect(client.readResponse()?.text == "hello")
    }

    @Test func sendsDateAndAllowHeaders() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("PUT /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 405)
        #expect(response.header("allow") == "GET, HEAD, OPTIONS")
        #expect(response.header("date")?.hasSuffix(" GMT") == true)
    }

    @Test func sendsContinueBeforeReadingBody() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        #expect(client.readResponse()?.status == 100)
        client.send("body")
        #expect(client.readResponse()?.text == "body")
    }

    @Test func refusesOversizedBodyBeforeReadingIt() throws {
        let server = try startTestServer { $0.maxBodyBytes = 1024 }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\nExpect: 100-continue\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 413)
        #expect(client.isClosedByServer())
    }

    @Test func acceptsBodyArrivingByteByByte() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        let request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nslow\r\n3\r\nbut\r\n0\r\n\r\n"
        for byte in request.utf8 {
            client.send([byte])
            usleep(200)
        }
        #expect(client.readResponse()?.text == "slowbut")
    }

    @Test func timesOutSlowRequestHead() throws {
        let server = try startTestServer { $0.headerReadTimeout = .milliseconds(300) }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 408)
        #expect(client.isClosedByServer())
    }

    @Test func timesOutStalledBody() throws {
        let server = try startTestServer { $0.bodyIdleTimeout = .milliseconds(300) }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        let response = try #require(client.readResponse())
        #expect(response.status == 408)
        #expect(client.isClosedByServer())
    }

    @Test func closesIdleConnectionAfterTimeout() throws {
        let server = try startTestServer { $0.keepAliveIdleTimeout = .milliseconds(300) }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
        #expect(client.isClosedByServer())
    }

    @Test func slowHandlerDoesNotStallOtherConnections() throws {
        let server = try startTestServer { $0.ioThreads = 1 }
        defer { server.shutdown() }
        let slow = try TestClient(port: server.port)
        slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        let fast = try TestClient(port: server.port)
        fast.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let start = monotonicNanoseconds()
        #expect(fast.readResponse()?.status == 200)
        // Functional ordering check, not a benchmark: the fast answer must not wait for the 1.5 s handler.
        #expect(monotonicNanoseconds() - start < 1_000_000_000)
        #expect(slow.readResponse()?.text == "slow")
    }

    @Test func manyIdleSocketsDoNotDelayOthers() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let idle = try (0..<200).map { _ in try TestClient(port: server.port) }
        for (index, client) in idle.enumerated() where index % 2 == 0 { client.send("GET /hel") }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
    }

    @Test func refusesConnectionsBeyondCap() throws {
        let server = try startTestServer { $0.maxConnections = 2 }
        defer { server.shutdown() }
        let first = try TestClient(port: server.port)
        let second = try TestClient(port: server.port)
        first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(first.readResponse()?.status == 200)
        #expect(second.readResponse()?.status == 200)
        let third = try TestClient(port: server.port)
        #expect(third.readResponse()?.status == 503)
    }

    @Test func closesAfterMaxRequestsPerConnection() throws {
        let server = try startTestServer { $0.maxRequestsPerConnection = 2 }
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.readResponse()?.header("connection") == nil)
        #expect(client.readResponse()?.header("connection") == "close")
        #expect(client.isClosedByServer())
    }

    @Test func shutdownFinishesInFlightRequestAndClosesIdle() throws {
        let server = try startTestServer()
        let idle = try TestClient(port: server.port)
        let busy = try TestClient(port: server.port)
        busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(200_000)
        server.shutdown()
        let response = try #require(busy.readResponse())
        #expect(response.text == "slow")
        #expect(response.header("connection") == "close")
        #expect(idle.isClosedByServer())
        #expect(throws: (any Error).self) { _ = try TestClient(port: server.port) }
    }

    @Test func reportsHandlerErrorsAndAnswers500() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let reported = Lock<[String]>([])
        var router = Router(onUnexpectedError: { request, error in
            reported.withLock { $0.append("\(request.rawPath): \(error)") }
        })
        router.add("GET", "/fail") { _ in throw Boom() }
        let server = try startTestServer(router: router)
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        let response = try #require(client.request("GET", "/fail"))
        #expect(response.status == 500)
        #expect(response.text.contains("internal_error"))
        #expect(!response.text.contains("boom"), "the error's text is logged, not sent")
        #expect(reported.withLock { $0 } == ["/fail: boom"])
        #expect(client.request("GET", "/fail")?.status == 500, "the connection and server go on")
    }

    @Test func optionsRefusesWhatItsPathCheckRefuses() throws {
        struct Refusal: HTTPResponseConvertible {
            var response: HTTPResponse { .error(.badRequest, code: "bad_request", message: "id too long") }
        }
        var router = Router()
        router.add("GET", "/users/{user}/things") { _ in .json(.ok, Array("[]".utf8)) }
        router.checkOptions("/users/{user}/things") { request in
            if request.pathParameters["user", default: ""].count > 3 { throw Refusal() }
        }
        router.add("GET", "/other/{id}") { _ in .json(.ok, Array("[]".utf8)) }
        let server = try startTestServer(router: router)
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        let allowed = try #require(client.request("OPTIONS", "/users/abc/things"))
        #expect(allowed.status == 204)
        #expect(allowed.header("allow") == "GET, HEAD, OPTIONS")
        let refused = try #require(client.request("OPTIONS", "/users/abcd/things"))
        #expect(refused.status == 400)
        #expect(refused.text.contains("id too long"))
        // Paths without a check, and other methods, are unchanged.
        #expect(client.request("OPTIONS", "/other/abcdef")?.status == 204)
        #expect(client.request("GET", "/users/abcd/things")?.status == 200)
    }

    @Test func shutdownClosesRequestsThatOutlastTheDrainTimeout() throws {
        let server = try startTestServer { $0.drainTimeout = .milliseconds(300) }
        let busy = try TestClient(port: server.port)
        busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        usleep(100_000)
        let started = ContinuousClock.now
        server.shutdown()
        let took = ContinuousClock.now - started
        #expect(took < .milliseconds(1_200), "shutdown waited \(took) for a 1.5 s handler")
        #expect(busy.readResponse() == nil, "the unfinished request's connection is closed")
    }

    @Test func survivesClientThatDisconnectsMidRequest() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        for _ in 0..<20 {
            let client = try TestClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial")
        }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
    }
}
