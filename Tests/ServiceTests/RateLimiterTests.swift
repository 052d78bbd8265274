import Training
import Serving
import Observability
import Configuration
import Locking
import Testing
@testable import Service

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let seconds = Lock(0.0)

    func advance(by delta: Double) { seconds.withLock { $0 += delta } }
    var now: @Sendable () -> Double { { [self] in seconds.withLock { $0 } } }
}

struct RateLimiterTests {
    @Test func allowsBurstThenLimitsWithRetryAfter() {
        let clock = ManualClock()
        let limiter = RateLimiter(configuration: .init(requestsPerSecond: 0.5, burst: 3), now: clock.now)
        for _ in 0..<3 { #expect(limiter.admit("a") == .allowed) }
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 2))
    }

    @Test func refillsOverTime() {
        let clock = ManualClock()
        let limiter = RateLimiter(configuration: .init(requestsPerSecond: 2, burst: 2), now: clock.now)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 1))
        clock.advance(by: 0.5)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 1))
        clock.advance(by: 10)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") != .allowed)
    }

    @Test func peekTakesNoTokenAndCreatesNoBucket() {
        let clock = ManualClock()
        let limiter = RateLimiter(configuration: .init(requestsPerSecond: 0.5, burst: 1), now: clock.now)
        #expect(limiter.peek("a") == .allowed)
        #expect(limiter.clientCount == 0)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.peek("a") == .limited(retryAfterSeconds: 2))
        clock.advance(by: 2)
        #expect(limiter.peek("a") == .allowed)
        #expect(limiter.peek("a") == .allowed)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 2))
    }

    @Test func keepsSeparateBucketsPerClient() {
        let clock = ManualClock()
        let limiter = RateLimiter(configuration: .init(requestsPerSecond: 1, burst: 1), now: clock.now)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") != .allowed)
        #expect(limiter.admit("b") == .allowed)
    }

    @Test func retryAfterIsAtLeastOneWholeSecond() {
        let clock = ManualClock()
        let limiter = RateLimiter(configuration: .init(requestsPerSecond: 1000, burst: 1), now: clock.now)
        #expect(limiter.admit("a") == .allowed)
        #expect(limiter.admit("a") == .limited(retryAfterSeconds: 1))
    }

    @Test func defaultBurstIsOneSecondOfRequests() {
        #expect(RateLimitSettings(requestsPerSecond: 2.5).effectiveBurst == 3)
        #expect(RateLimitSettings(requestsPerSecond: 0.1).effectiveBurst == 1)
        #expect(!RateLimitSettings().isEnabled)
    }

    @Test func boundsMemoryByEvictingIdleBuckets() {
        let clock = ManualClock()
        let limiter = RateLimiter(configuration: .init(requestsPerSecond: 1, burst: 1), maxClients: 4, now: clock.now)
        for client in 0..<4 { _ = limiter.admit("c\(client)") }
        clock.advance(by: 5)
        #expect(limiter.admit("new") == .allowed)
        #expect(limiter.clientCount == 1)
    }

    @Test func boundsMemoryWhenEveryBucketIsBusy() {
        let clock = ManualClock()
        let limiter = RateLimiter(configuration: .init(requestsPerSecond: 1, burst: 1), maxClients: 4, now: clock.now)
        for client in 0..<10 {
            clock.advance(by: 0.01)
            _ = limiter.admit("c\(client)")
            #expect(limiter.clientCount <= 4)
        }
        // The most recent client keeps its (empty) bucket.
        #expect(limiter.admit("c9") != .allowed)
    }
}
