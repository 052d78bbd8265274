import Training
import Serving
import Observability
import Configuration
import HTTPServer
import Testing
@testable import Service

private func request(_ headers: [(String, String)] = [], from address: String = "10.0.0.1") -> HTTPRequest {
    HTTPRequest(method: "GET", target: "/models", version: .http1_1, headers: HTTPHeaders(headers), remoteAddress: address)
}

private func status(_ gate: RequestGate, _ request: HTTPRequest, access: RequestGate.Access = .api) -> (code: Int, error: APIError?) {
    do {
        try gate.check(request, access: access)
        return (200, nil)
    } catch {
        return (error.status.code, error)
    }
}

struct RequestGateTests {
    private let key = AdminToken("k-123")!
    private let admin = AdminToken("admin-9")!
    private let withKey = [("x-api-key", "k-123")]
    private let asAdmin = [("authorization", "Bearer admin-9")]

    private func limiter(_ clock: ManualClock, rate: Double = 1, burst: Int) -> RateLimiter {
        RateLimiter(configuration: .init(requestsPerSecond: rate, burst: burst), now: clock.now)
    }

    @Test func acceptsApiKeyInEitherHeader() {
        let gate = RequestGate(apiKey: key, adminToken: admin, limiter: nil)
        #expect(status(gate, request([("authorization", "Bearer k-123")])).code == 200)
        #expect(status(gate, request(withKey)).code == 200)
        // Admin routes carry the admin token in Authorization and the key in X-API-Key.
        #expect(status(gate, request(asAdmin + withKey), access: .admin).code == 200)
    }

    @Test func rejectsMissingOrWrongApiKeyWith401() throws {
        let gate = RequestGate(apiKey: key, adminToken: admin, limiter: nil)
        for headers in [[], [("x-api-key", "k-124")], [("authorization", "Bearer k-12")], [("authorization", "Basic k-123")]] {
            let result = status(gate, request(headers))
            #expect(result.code == 401)
            let error = try #require(result.error)
            #expect(error.code == "unauthorized")
            #expect(error.headers["www-authenticate"] == #"Bearer realm="recsmith""#)
        }
    }

    @Test func adminRoutesNeedTheAdminTokenEvenWhenOtherwiseOpen() {
        let gate = RequestGate(apiKey: nil, adminToken: admin, limiter: nil)
        #expect(gate.isOpen(for: .api))
        #expect(!gate.isOpen(for: .admin))
        #expect(status(gate, request(asAdmin), access: .admin).code == 200)
        #expect(status(gate, request(), access: .admin).code == 401)
        #expect(status(gate, request([("authorization", "Bearer admin-8")]), access: .admin).code == 401)
        // With a key configured, an admin route needs both; the key alone (in Authorization) is not the token.
        let keyed = RequestGate(apiKey: key, adminToken: admin, limiter: nil)
        #expect(status(keyed, request(asAdmin), access: .admin).code == 401)
        #expect(status(keyed, request([("authorization", "Bearer k-123")]), access: .admin).code == 401)
        #expect(status(keyed, request(withKey), access: .admin).error?.message.contains("admin") == true)
    }

    @Test func passesEverythingWhenOpen() {
        let gate = RequestGate(apiKey: nil, adminToken: admin, limiter: nil)
        #expect(status(gate, request()).code == 200)
    }

    @Test func limitsPerAddressWith429AndRetryAfter() throws {
        let clock = ManualClock()
        let gate = RequestGate(apiKey: nil, adminToken: admin, limiter: limiter(clock, burst: 2))
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
        let gate = RequestGate(apiKey: key, adminToken: admin, limiter: limiter(clock, burst: 1))
        #expect(status(gate, request(withKey, from: "10.0.0.1")).code == 200)
        // Same key from another address shares the bucket.
        #expect(status(gate, request(withKey, from: "10.0.0.2")).code == 429)
    }

    @Test func answers401BeforeTheRateLimitWhateverTheRate() {
        let clock = ManualClock()
        let gate = RequestGate(apiKey: key, adminToken: admin, limiter: limiter(clock, burst: 3))
        for _ in 0..<3 { #expect(status(gate, request(withKey)).code == 200) }
        #expect(status(gate, request(withKey)).code == 429)
        // The admin route with both credentials is rate limited like any other route.
        #expect(status(gate, request(asAdmin + withKey), access: .admin).code == 429)
        // The key's bucket is empty, yet a request without the key (or without the admin token) learns that.
        #expect(status(gate, request()).code == 401)
        #expect(status(gate, request(withKey), access: .admin).code == 401)
        #expect(status(gate, request([("x-api-key", "wrong")])).code == 401)
    }

    @Test func adminTokenComesBeforeTheAddressLimitOnAnOpenServer() {
        let clock = ManualClock()
        let gate = RequestGate(apiKey: nil, adminToken: admin, limiter: limiter(clock, burst: 1))
        #expect(status(gate, request()).code == 200)
        #expect(status(gate, request()).code == 429)
        #expect(status(gate, request(asAdmin), access: .admin).code == 429)
        #expect(status(gate, request(), access: .admin).code == 401)
        #expect(status(gate, request([("authorization", "Bearer guess")]), access: .admin).code == 401)
    }

    @Test func locksOutAnAddressThatKeepsSendingWrongCredentials() throws {
        let clock = ManualClock()
        let gate = RequestGate(apiKey: key, adminToken: admin, limiter: limiter(clock, burst: 3))
        for guess in ["a", "b", "c"] {
            let refused = status(gate, request([("x-api-key", guess)]))
            #expect(refused.code == 401)
            #expect(refused.error?.headers["retry-after"] == nil)
        }
        // Locked out: still 401, now with Retry-After, and the right key gets the very same answer.
        let wrong = status(gate, request([("x-api-key", "d")]))
        let right = status(gate, request(withKey))
        #expect(wrong.code == 401)
        #expect(right.code == 401)
        #expect(wrong.error?.message == right.error?.message)
        #expect(right.error?.headers["retry-after"] == "1")
        #expect(right.error?.headers["www-authenticate"] == #"Bearer realm="recsmith""#)
        // Other addresses are not affected, and the lock-out ends as the bucket refills.
        #expect(status(gate, request(withKey, from: "10.0.0.9")).code == 200)
        clock.advance(by: 1)
        #expect(status(gate, request(withKey)).code == 200)
    }

    @Test func validCredentialsNeverCountAsFailures() {
        let clock = ManualClock()
        let gate = RequestGate(apiKey: key, adminToken: admin, limiter: limiter(clock, rate: 1000, burst: 2))
        for _ in 0..<50 {
            #expect(status(gate, request(withKey)).code == 200)
            clock.advance(by: 0.001)
        }
        #expect(status(gate, request()).code == 401)
        #expect(status(gate, request(withKey)).code == 200)
    }
}
