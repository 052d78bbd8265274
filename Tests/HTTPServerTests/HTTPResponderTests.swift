import Dispatch
import Locking
import Testing
import TestSupport
@testable import HTTPServer

/// Where a handler calls `send` twice.
enum SecondSendCaller: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// Both calls inline, on the connection's event-loop thread.
    case loopThread
    /// Both calls, one after the other, from a Dispatch thread (each hops to the loop).
    case otherThread
    /// Two threads at once, one call each: either may win, exactly one must.
    case racingThreads

    var testDescription: String { rawValue }
}

/// The protocol a test client speaks.
enum Wire: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case http1
    /// HTTP/2 over cleartext with prior knowledge.
    case h2c

    var testDescription: String { rawValue }
}

@Suite(.serialized)
struct HTTPResponderTests {
    @Test(arguments: SecondSendCaller.allCases, Wire.allCases)
    func ignoresSecondSend_neitherWrittenNorObserved(caller: SecondSendCaller, wire: Wire) throws {
        let records = Lock<[RequestRecord]>([])
        let bothSent = DispatchSemaphore(value: 0)
        var router = Router(observer: { record in records.withLock { $0.append(record) } })
        router.addDeferred("GET", "/twice") { _, responder in
            let first = HTTPResponse(status: .ok, body: Array("first".utf8))
            let second = HTTPResponse(status: .accepted, body: Array("second, longer".utf8))
            switch caller {
            case .loopThread:
                responder.send(first)
                responder.send(second)
                bothSent.signal()
            case .otherThread:
                DispatchQueue.global().async {
                    responder.send(first)
                    responder.send(second)
                    bothSent.signal()
                }
            case .racingThreads:
                DispatchQueue.global().async {
                    DispatchQueue.concurrentPerform(iterations: 2) { responder.send($0 == 0 ? first : second) }
                    bothSent.signal()
                }
            }
        }
        router.add("GET", "/hello") { _ in HTTPResponse(status: .ok, body: Array("hello".utf8)) }
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.ioThreads = 1
        let server = HTTPServer(configuration: configuration, handler: router.handle)
        try server.start()
        defer { server.shutdown() }

        // Each protocol answers `/twice` and then, on the same connection, `/hello`: a second response written
        // for `/twice` would be read in place of `/hello`'s (HTTP/1.1) or break the stream (HTTP/2).
        let answers: [(status: Int, text: String)]
        switch wire {
        case .http1:
            let client = try TestClient(port: server.port)
            let twice = try #require(client.request("GET", "/twice"))
            #expect(bothSent.wait(timeout: .now() + 5) == .success)
            let hello = try #require(client.request("GET", "/hello"))
            answers = [(twice.status, twice.text), (hello.status, hello.text)]
        case .h2c:
            let client = HTTP2TestClient(over: try TestClient(port: server.port))
            let twice = client.request("GET", "/twice")
            #expect(bothSent.wait(timeout: .now() + 5) == .success)
            let hello = client.request("GET", "/hello")
            answers = [(twice.status, twice.text), (hello.status, hello.text)]
        }

        let winner = answers[0]
        if caller == .racingThreads {
            #expect([(200, "first"), (202, "second, longer")].contains { $0 == winner })
        } else {
            #expect(winner == (200, "first"))
        }
        #expect(answers[1] == (200, "hello"))
        let observed = records.withLock { $0.filter { $0.route == "/twice" } }
        #expect(observed.count == 1, "the request is observed (counted, logged) once")
        #expect(observed.first?.status == winner.status)
    }
}
