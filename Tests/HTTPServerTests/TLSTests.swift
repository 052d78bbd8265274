import COpenSSL
import Foundation
import Glibc
import Locking
import Testing
import TestSupport
@testable import HTTPServer

/// HTTPS: the handshake, protocol versions, ALPN, hostile handshakes and certificate reload.
@Suite struct TLSTests {
    @Test func servesHTTPSOverTLS13() throws {
        let (server, certificate) = try startTLSServer()
        defer { stop(server, certificate) }
        let client = try TLSTestClient(port: server.port)
        #expect(client.protocolVersion == "TLSv1.3")
        #expect(client.selectedProtocol == "http/1.1")
        let response = try #require(client.request("GET", "/hello"))
        #expect(response.status == 200)
        #expect(response.text == "hello")
        #expect(client.request("POST", "/echo", body: Array(repeating: 7, count: 300_000))?.body.count == 300_000)
    }

    @Test func servesHTTP2WhenALPNPicksH2() throws {
        let (server, certificate) = try startTLSServer()
        defer { stop(server, certificate) }
        let connection = try TLSTestClient(port: server.port, alpn: ["h2", "http/1.1"])
        #expect(connection.selectedProtocol == "h2")
        let client = HTTP2TestClient(over: connection)
        #expect(client.request("GET", "/hello").text == "hello")
        let body = Array((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0) })
        #expect(client.request("POST", "/echo", body: body).body == body)
        let streams = (0..<50).map { client.submit("GET", "/users/u\($0)/echo") }
        client.run()
        #expect(streams.enumerated().allSatisfy { client.responses[$0.element]?.text == "u\($0.offset)|" })
    }

    @Test func speaksHTTP1OverTLSWhenHTTP2IsOff() throws {
        let (server, certificate) = try startTLSServer { $0.http2Enabled = false }
        defer { stop(server, certificate) }
        let client = try TLSTestClient(port: server.port, alpn: ["h2", "http/1.1"])
        #expect(client.selectedProtocol == "http/1.1")
        #expect(client.request("GET", "/hello")?.status == 200)
    }

    @Test func acceptsTLS12() throws {
        let (server, certificate) = try startTLSServer()
        defer { stop(server, certificate) }
        let client = try TLSTestClient(port: server.port, maximumVersion: TLS1_2_VERSION)
        #expect(client.protocolVersion == "TLSv1.2")
        #expect(client.request("GET", "/hello")?.status == 200)
    }

    @Test(arguments: [TLS1_VERSION, TLS1_1_VERSION])
    func refusesTLSOlderThan12(version: Int32) throws {
        let (server, certificate) = try startTLSServer()
        defer { stop(server, certificate) }
        #expect(throws: TLSTestError.self) { _ = try TLSTestClient(port: server.port, maximumVersion: version) }
        #expect(try TLSTestClient(port: server.port).request("GET", "/hello")?.status == 200)
    }

    @Test func answersPlainHTTPOnTheTLSPortWith400() throws {
        let (server, certificate) = try startTLSServer()
        defer { stop(server, certificate) }
        let client = try TestClient(port: server.port)
        client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 400)
        #expect(response.text.contains("HTTPS"))
    }

    @Test func closesTruncatedHandshakeAfterTimeout() throws {
        let (server, certificate) = try startTLSServer { $0.headerReadTimeout = .milliseconds(300) }
        defer { stop(server, certificate) }
        let truncated = try TestClient(port: server.port)
        truncated.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03])
        let silent = try TestClient(port: server.port)
        #expect(truncated.isClosedByServer())
        #expect(silent.isClosedByServer())
        #expect(try TLSTestClient(port: server.port).request("GET", "/hello")?.status == 200)
    }

    @Test func garbageHandshakeCostsOnlyItsConnectionAndIsReported() throws {
        let failures = Lock<[ConnectionFailure]>([])
        let (server, certificate) = try startTLSServer(onConnectionFailure: { failure in failures.withLock { $0.append(failure) } })
        defer { stop(server, certificate) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let client = try TestClient(port: server.port)
            client.send([0x16, 0x03, 0x03, 0x00, 0x40] + (0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(client.isClosedByServer())
        }
        #expect(try TLSTestClient(port: server.port).request("GET", "/hello")?.status == 200)
        let reported = failures.withLock { $0 }
        #expect(reported.count == 20)
        #expect(reported.allSatisfy { $0.reason.hasPrefix("TLS handshake failed") && $0.remoteAddress == "127.0.0.1" })
    }

    @Test func reloadsCertificateWithoutDroppingConnections() throws {
        let (server, certificate) = try startTLSServer(commonName: "first")
        defer { stop(server, certificate) }
        let before = try TLSTestClient(port: server.port)
        #expect(before.peerSubject.contains("CN=first"))

        _ = try TestCertificate.make(commonName: "second", in: certificate.directory)
        try server.reloadTLSCertificates()
        let after = try TLSTestClient(port: server.port)
        #expect(after.peerSubject.contains("CN=second"))
        #expect(before.request("GET", "/hello")?.status == 200, "a connection made before the reload keeps working")

        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: certificate.certificatePath))
        #expect(throws: TLSError.self) { try server.reloadTLSCertificates() }
        #expect(try TLSTestClient(port: server.port).peerSubject.contains("CN=second"), "a failed reload keeps the last good one")
    }

    @Test func refusesToStartWithMissingKey() throws {
        let certificate = try TestCertificate.make()
        defer { certificate.remove() }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.tls = TLSConfiguration(certificateChainPath: certificate.certificatePath, privateKeyPath: "/nonexistent/key.pem")
        let server = HTTPServer(configuration: configuration) { _, responder in responder.send(HTTPResponse(status: .ok)) }
        #expect {
            try server.start()
        } throws: { error in
            "\(error)".contains("/nonexistent/key.pem")
        }
    }

    private func startTLSServer(
        commonName: String = "recsmith-test", configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        onConnectionFailure: @escaping @Sendable (ConnectionFailure) -> Void = { _ in }
    ) throws -> (HTTPServer, TestCertificate) {
        let certificate = try TestCertificate.make(commonName: commonName)
        let server = try startTestServer(configure: { configuration in
            configuration.tls = TLSConfiguration(certificateChainPath: certificate.certificatePath,
                                                 privateKeyPath: certificate.keyPath)
            configure(&configuration)
        }, onConnectionFailure: onConnectionFailure)
        return (server, certificate)
    }

    private func stop(_ server: HTTPServer, _ certificate: TestCertificate) {
        server.shutdown()
        certificate.remove()
    }
}
