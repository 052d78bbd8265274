import CNGHTTP2
import Dispatch
import Foundation
import Glibc
import Testing
import TestSupport
@testable import HTTPServer

/// HTTP/2 over cleartext with prior knowledge (h2c): the same router and limits as HTTP/1.1.
@Suite struct HTTP2Tests {
    @Test func servesH2CWithPriorKnowledge() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let response = client.request("GET", "/hello")
        #expect(response.status == 200)
        #expect(response.text == "hello")
        #expect(response.header("content-type") == "text/plain")
        #expect(response.header("content-length") == "5")
        #expect(response.header("date") != nil)
    }

    @Test func decodesPathParametersAndQueryLikeHTTP1() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        #expect(client.request("GET", "/users/a%2Fb/echo?k=5").text == "a/b|k=5")
        #expect(client.request("GET", "/users/a%zz/echo").status == 400)
        #expect(client.request("DELETE", "/hello").status == 405)
        #expect(client.request("BREW", "/hello").status == 501)
        #expect(client.request("GET", "/nope").status == 404)
    }

    @Test func answersInvalidAuthorityOrHostWith400AndKeepsConnection() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let userinfo = client.request("GET", "/hello", authority: "u@h")
        #expect(userinfo.status == 400)
        #expect(userinfo.text.contains("invalid :authority pseudo-header"))
        #expect(client.request("GET", "/hello", headers: [("host", "[::1")]).status == 400)
        #expect(client.request("GET", "/hello", authority: "[::1]:8080").status == 200)
    }

    @Test func acceptsPrefaceArrivingByteByByte() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let connection = try TestClient(port: server.port)
        for byte in HTTP2Frame.preface {
            connection.send([byte])
            usleep(2_000)
        }
        connection.send(HTTP2Frame.make(type: 4)) // empty SETTINGS
        let frames = HTTP2Frame.readAll(from: try shortTimeout(connection))
        #expect(frames.first?.type == 4, "the server's SETTINGS come first")
    }

    @Test func answersHeadWithoutData() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let response = client.request("HEAD", "/hello")
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("content-length") == "5")
    }

    @Test func answersManyConcurrentStreamsOnOneConnection() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let streams = (0..<100).map { client.submit("GET", "/users/u\($0)/echo?n=\($0)") }
        client.run()
        for (index, stream) in streams.enumerated() {
            #expect(client.responses[stream]?.text == "u\(index)|n=\(index)")
        }
    }

    @Test func receivesLargeBodyAcrossFlowControlWindows() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        var generator = SystemRandomNumberGenerator()
        let body = (0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let response = client.request("POST", "/echo", body: body)
        #expect(response.status == 200)
        #expect(response.body == body)
    }

    @Test func refusesBodyOverLimitAndKeepsConnection() throws {
        let server = try startTestServer { $0.maxBodyBytes = 1024 }
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        #expect(client.request("POST", "/echo", body: Array(repeating: 1, count: 4096)).status == 413)
        // Without a declared length the limit applies as the DATA frames arrive.
        let stream = client.submit("POST", "/echo", body: Array(repeating: 2, count: 4096))
        client.run { $0.responses[stream]?.closed == true }
        #expect(client.responses[stream]?.status == 413)
        #expect(client.request("POST", "/echo", body: Array(repeating: 3, count: 512)).body.count == 512)
    }

    @Test func refusesHeaderListOverLimit() throws {
        let server = try startTestServer { $0.maxHeaderBytes = 2048 }
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let big = client.request("GET", "/hello", headers: [("x-big", String(repeating: "b", count: 4096))])
        #expect(big.status == 431)
        let many = client.request("GET", "/hello", headers: (0..<120).map { ("x-h\($0)", "v") })
        #expect(many.status == 431)
        #expect(client.request("GET", "/hello").status == 200)
    }

    @Test func refusesStreamsBeyondConcurrencyLimit() throws {
        let server = try startTestServer { $0.maxConcurrentStreams = 2 }
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let streams = (0..<5).map { _ in client.submit("GET", "/slow") }
        client.run()
        let answered = streams.filter { client.responses[$0]?.status == 200 }
        let refused = streams.filter { client.responses[$0]?.resetCode == NGHTTP2_REFUSED_STREAM.rawValue }
        #expect(answered.count == 2)
        #expect(refused.count == 3)
        #expect(client.request("GET", "/hello").status == 200)
    }

    @Test func resetsStreamWhoseHandlerLostItsResponder() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let dropped = client.request("GET", "/drop")
        #expect(dropped.resetCode == NGHTTP2_INTERNAL_ERROR.rawValue)
        #expect(client.request("GET", "/fail").status == 500)
        #expect(client.request("GET", "/hello").status == 200, "the connection survives both")
    }

    @Test func answersStalledBodyWithRequestTimeout() throws {
        let server = try startTestServer { $0.bodyIdleTimeout = .milliseconds(300) }
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let stream = client.submit("POST", "/echo", stallingBody: true)
        client.run { $0.responses[stream]?.status != 0 }
        #expect(client.responses[stream]?.status == 408)
    }

    @Test func sendsGoAwayOnShutdownAndFinishesInFlightStream() throws {
        let server = try startTestServer()
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        let stream = client.submit("GET", "/slow")
        client.run { _ in true } // sends the request
        usleep(300_000)
        let stopped = DispatchSemaphore(value: 0)
        // On a thread of its own: a blocked Dispatch pool must not delay the shutdown under test.
        Thread.detachNewThread {
            server.shutdown()
            stopped.signal()
        }
        client.runUntilClosed()
        #expect(client.goAwayCode == NGHTTP2_NO_ERROR.rawValue)
        #expect(client.responses[stream]?.text == "slow")
        stopped.wait()
    }

    @Test func closesIdleConnectionWithGoAway() throws {
        let server = try startTestServer { $0.keepAliveIdleTimeout = .milliseconds(300) }
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        #expect(client.request("GET", "/hello").status == 200)
        client.runUntilClosed()
        #expect(client.goAwayCode == NGHTTP2_NO_ERROR.rawValue)
    }

    @Test func sendsGoAwayAfterMaxRequestsPerConnection() throws {
        let server = try startTestServer { $0.maxRequestsPerConnection = 3 }
        defer { server.shutdown() }
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        for _ in 0..<3 { #expect(client.request("GET", "/hello").status == 200) }
        client.runUntilClosed()
        #expect(client.goAwayCode == NGHTTP2_NO_ERROR.rawValue)
    }

    @Test func endsConnectionOnGarbageFramesAndKeepsServing() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let connection = try TestClient(port: server.port)
        // A DATA frame on stream 0 is a connection error (RFC 9113 §6.1).
        connection.send(HTTP2Frame.preface + HTTP2Frame.make(type: 4) + HTTP2Frame.make(type: 0, payload: [1, 2, 3]))
        let frames = HTTP2Frame.readAll(from: connection)
        let goAway = try #require(frames.first { $0.type == 7 })
        #expect(HTTP2Frame.goAwayCode(goAway.payload) == NGHTTP2_PROTOCOL_ERROR.rawValue)
        #expect(connection.isClosedByServer())
        let client = HTTP2TestClient(over: try TestClient(port: server.port))
        #expect(client.request("GET", "/hello").status == 200)
    }

    @Test func closesConnectionWithBadPrefaceTail() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let connection = try TestClient(port: server.port)
        connection.send(Array(HTTP2Frame.preface.dropLast(2)) + Array("xx".utf8))
        #expect(connection.isClosedByServer())
    }

    @Test func treatsPrefaceAsHTTP1WhenHTTP2IsOff() throws {
        let server = try startTestServer { $0.http2Enabled = false }
        defer { server.shutdown() }
        let connection = try TestClient(port: server.port)
        connection.send(HTTP2Frame.preface)
        #expect(connection.readResponse()?.status == 505)
    }

    @Test func answersHTTP1ResponderLossWith500() throws {
        let server = try startTestServer()
        defer { server.shutdown() }
        let client = try TestClient(port: server.port)
        let response = try #require(client.request("GET", "/drop"))
        #expect(response.status == 500)
        #expect(response.text.contains("internal_error"))
    }

    /// The same connection with a 1 s read timeout, for reads that end by timing out.
    private func shortTimeout(_ connection: TestClient) throws -> TestClient {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(connection.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return connection
    }
}
