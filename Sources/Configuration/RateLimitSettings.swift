/// How fast each client may send requests (`rate_limit`, `rate_limit_burst`); `RateLimiter` enforces it.
package struct RateLimitSettings: Sendable, Equatable {
    /// Average requests per second allowed per client; 0 turns the limit off.
    package var requestsPerSecond: Double = 0
    /// Requests a client may send at once after being idle; 0 means one second's worth (at least 1).
    package var burst: Int = 0

    /// Creates a configuration; the default is off.
    package init(requestsPerSecond: Double = 0, burst: Int = 0) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }

    /// True when requests are limited at all.
    package var isEnabled: Bool { requestsPerSecond > 0 }

    /// The bucket size actually used.
    package var effectiveBurst: Int { burst > 0 ? burst : max(1, Int(requestsPerSecond.rounded(.up))) }
}
