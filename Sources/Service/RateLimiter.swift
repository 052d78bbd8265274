import Configuration
import Locking
import Observability
import Serving
import Training

/// Per-client token buckets: each client may send `burst` requests at once and `requestsPerSecond` on average.
///
/// Memory is bounded: when `maxClients` buckets exist, buckets that have refilled completely are dropped first
/// (a full bucket behaves exactly like a new one, so nothing is lost); if that frees nothing, the least recently
/// used half is dropped.
package final class RateLimiter: Sendable {
    /// The verdict on one request.
    package enum Decision: Sendable, Equatable {
        /// The request may proceed (one token was taken).
        case allowed
        /// The client must wait this many whole seconds (at least 1) before a token is available.
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let rate: Double
    private let capacity: Double
    private let maxClients: Int
    private let now: @Sendable () -> Double
    private let buckets = Lock([String: Bucket]())

    /// Creates a limiter.
    /// - Parameters:
    ///   - configuration: rate and burst; must be enabled.
    ///   - maxClients: buckets kept at most.
    ///   - now: seconds on a monotonic clock (injected by tests).
    package init(configuration: RateLimitSettings, maxClients: Int = 100_000,
                now: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        precondition(configuration.isEnabled, "a rate limiter needs a positive rate")
        rate = configuration.requestsPerSecond
        capacity = Double(configuration.effectiveBurst)
        self.maxClients = max(1, maxClients)
        self.now = now
    }

    /// Takes a token from `client`'s bucket, or says how long to wait.
    package func admit(_ client: String) -> Decision {
        let time = now()
        return buckets.withLock { buckets -> Decision in
            var bucket: Bucket
            if let existing = buckets[client] {
                bucket = existing
                bucket.tokens = min(capacity, bucket.tokens + max(0, time - bucket.updated) * rate)
            } else {
                if buckets.count >= maxClients { evict(&buckets, at: time) }
                bucket = Bucket(tokens: capacity, updated: time)
            }
            bucket.updated = time
            defer { buckets[client] = bucket }
            guard bucket.tokens >= 1 else { return .limited(retryAfterSeconds: retryAfter(bucket.tokens)) }
            bucket.tokens -= 1
            return .allowed
        }
    }

    /// Says whether `client` could take a token now, without taking one (a client without a bucket could).
    package func peek(_ client: String) -> Decision {
        let time = now()
        return buckets.withLock { buckets -> Decision in
            guard let bucket = buckets[client] else { return .allowed }
            let tokens = min(capacity, bucket.tokens + max(0, time - bucket.updated) * rate)
            guard tokens >= 1 else { return .limited(retryAfterSeconds: retryAfter(tokens)) }
            return .allowed
        }
    }

    /// Whole seconds (at least 1) until a bucket holding `tokens` holds one.
    private func retryAfter(_ tokens: Double) -> Int {
        let wait = ((1 - tokens) / rate).rounded(.up)
        return max(1, Int(min(wait, Double(Int32.max))))
    }

    /// Number of buckets currently kept.
    package var clientCount: Int { buckets.withLock { $0.count } }

    private func evict(_ buckets: inout [String: Bucket], at time: Double) {
        let refillTime = capacity / rate
        buckets = buckets.filter { time - $0.value.updated < refillTime }
        guard buckets.count >= maxClients else { return }
        let cutoff = buckets.values.map(\.updated).sorted()[buckets.count / 2]
        buckets = buckets.filter { $0.value.updated > cutoff }
    }

    /// Seconds since an arbitrary fixed point on the monotonic clock.
    package static func monotonicSeconds() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    private static let origin = ContinuousClock.now
}
