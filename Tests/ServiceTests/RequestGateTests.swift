import HTTPServer
import Testing
@testable import Service

private func request(_ headers: [(String, String)] = [], from address: String = "10.0.0.1") -> HTTPRequest {
    HTTPRequest(method: "GET", target: "/models", version: .http1_1, headers: HTTPHeaders(headers), remoteAddress: address)
}

private func status(_ gate: RequestGate, _ request: HTTPRequest) -> (code: Int, error: APIError?) {
    do {
        try gate.check(request)
        return (200, nil)
    } catch {
        return (error.status.code, error)
    }
}

struct RequestGateTests {
    private let key = AdminToken("k-123")!

    @Test func acceptsApiKeyInEitherHeader() {
        let gate = RequestGate(apiKey: key, limiter: nil)
        #expect(status(gate, request([("authorization", "Bearer k-123")])).code == 200)
        #expect(status(gate, request([("x-api-key", "k-123")])).code == 200)
        // Admin routes carry the admin token in Authorization and the key in X-API-Key.
        #expect(status(gate, request([("authorization", "Bearer admin"), ("x-api-key", "k-123")])).code == 200)
    }

    @Test func rejectsMissingOrWrongApiKeyWith401() throws {
        let gate = RequestGate(apiKey: key, limiter: nil)
        for headers in [[], [("x-api-key", "k-124")], [("authorization", "Bearer k-12")], [("authorization", "Basic k-123")]] {
            let result = status(gate, request(headers))
            #expect(result.code == 401)
            let error = try #require(result.error)
            #expect(error.code == "unauthorized")
            #expect(error.headers["www-authenticate"] == #"Bearer realm="recsmith""#)
        }
    }

    @Test func passesEverythingWhenOpen() {
        let gate = RequestGate(apiKey: nil, limiter: nil)
        #expect(gate.isOpen)
        #expect(status(gate, request()).code == 200)
    }

    @Test func limitsPerAddressWith429AndRetryAfter() throws {
        let clock = ManualClock()
        let gate = RequestGate(apiKey: nil, limiter: RateLimiter(configuration: .init(requestsPerSecond: 1, burst: 2), now: clock.now))
        #expect(status(gate, request()).code == 200)
        #expect(status(gate, request()).code == 200)
        let limited = status(gate, request())
        #expect(limited.code == 429)
        #expect(limited.error?.code == "too_many_requests")
        #expect(limited.error?.headers["retry-after"] == "1")
        #expect(status(gate, request(from: "10.0.0.2")).code == 200)
        clock.advance(by: 1)
        #expect(status(gate, request()).code == 200)
    }

    @Test func limitsByApiKeyWhenPresented() {
        let clock = ManualClock()
        let gate = RequestGate(apiKey: key, limiter: RateLimiter(configuration: .init(requestsPerSecond: 1, burst: 1), now: clock.now))
        #expect(status(gate, request([("x-api-key", "k-123")], from: "10.0.0.1")).code == 200)
        // Same key from another address shares the bucket.
        #expect(status(gate, request([("x-api-key", "k-123")], from: "10.0.0.2")).code == 429)
        // A client with a wrong key is limited by its address, then refused.
        #expect(status(gate, request([("x-api-key", "bad")], from: "10.0.0.3")).code == 401)
        #expect(status(gate, request([("x-api-key", "bad")], from: "10.0.0.3")).code == 429)
    }
}
