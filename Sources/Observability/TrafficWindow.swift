import Dispatch
import Locking

/// Requests, their latencies and accepted events over the last few minutes, one slot per second: what the
/// dashboard's overview shows as rates and latency percentiles (the Prometheus series count since start).
///
/// Recording takes a lock and touches preallocated arrays only (no allocation on the request path). Latencies
/// fall in logarithmic buckets, four per power of two of microseconds, so a percentile is known within 25%.
package final class TrafficWindow: Sendable {
    /// Seconds kept.
    package static let seconds = 300
    /// Buckets per slot: four per power of two up to 2²⁸ µs (about 4.5 minutes).
    static let bucketCount = 4 * 28

    private struct Slots {
        var second: [Int64]
        var requests: [Int]
        var events: [Int]
        var latencies: [UInt32]

        init() {
            second = [Int64](repeating: -1, count: TrafficWindow.seconds)
            requests = [Int](repeating: 0, count: TrafficWindow.seconds)
            events = [Int](repeating: 0, count: TrafficWindow.seconds)
            latencies = [UInt32](repeating: 0, count: TrafficWindow.seconds * TrafficWindow.bucketCount)
        }

        /// The slot of `now`, emptied first if it last held an older second.
        mutating func slot(at now: Int64) -> Int {
            let slot = Int(now % Int64(TrafficWindow.seconds))
            if second[slot] != now {
                second[slot] = now
                requests[slot] = 0
                events[slot] = 0
                let first = slot * TrafficWindow.bucketCount
                for bucket in first..<(first + TrafficWindow.bucketCount) { latencies[bucket] = 0 }
            }
            return slot
        }
    }

    private let slots = Lock(Slots())
    private let clock: @Sendable () -> Int64

    /// A window on the monotonic clock; `clock` (whole seconds) is for tests.
    package init(clock: @escaping @Sendable () -> Int64 = { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000_000) }) {
        self.clock = clock
    }

    /// Counts one request that took `duration`.
    package func recordRequest(duration: Duration) {
        let bucket = Self.bucket(microseconds: Int64(min(duration / .microseconds(1), 1e15)))
        let now = clock()
        slots.withLock { slots in
            let slot = slots.slot(at: now)
            slots.requests[slot] += 1
            slots.latencies[slot * Self.bucketCount + bucket] += 1
        }
    }

    /// Counts `count` accepted events.
    package func recordEvents(_ count: Int) {
        let now = clock()
        slots.withLock { slots in
            let slot = slots.slot(at: now)
            slots.events[slot] += count
        }
    }

    /// Rates over the last `rateSeconds` whole seconds and latency percentiles over the whole window.
    package func summary(rateSeconds: Int = 60) -> TrafficSummary {
        let now = clock()
        let rateSeconds = min(max(rateSeconds, 1), Self.seconds - 1)
        var histogram = [UInt64](repeating: 0, count: Self.bucketCount)
        var recentRequests = 0, recentEvents = 0, windowRequests = 0
        slots.withLock { slots in
            for slot in 0..<Self.seconds {
                let age = now - slots.second[slot]
                // The current second is still filling: rates use whole seconds before it.
                guard slots.second[slot] >= 0, age >= 0, age < Int64(Self.seconds) else { continue }
                if age >= 1 && age <= Int64(rateSeconds) {
                    recentRequests += slots.requests[slot]
                    recentEvents += slots.events[slot]
                }
                windowRequests += slots.requests[slot]
                let first = slot * Self.bucketCount
                for bucket in 0..<Self.bucketCount { histogram[bucket] += UInt64(slots.latencies[first + bucket]) }
            }
        }
        func percentile(_ fraction: Double) -> Double? {
            guard windowRequests > 0 else { return nil }
            let rank = UInt64((fraction * Double(windowRequests)).rounded(.up))
            var seen: UInt64 = 0
            for (bucket, count) in histogram.enumerated() {
                seen += count
                if seen >= max(rank, 1) { return Self.upperBoundMicroseconds(of: bucket) / 1000 }
            }
            return Self.upperBoundMicroseconds(of: Self.bucketCount - 1) / 1000
        }
        return TrafficSummary(
            windowSeconds: Self.seconds, rateSeconds: rateSeconds, requests: windowRequests,
            requestsPerSecond: Double(recentRequests) / Double(rateSeconds),
            eventsPerSecond: Double(recentEvents) / Double(rateSeconds),
            p50Milliseconds: percentile(0.5), p90Milliseconds: percentile(0.9), p99Milliseconds: percentile(0.99))
    }

    /// Bucket `4·e + m` holds latencies in [2ᵉ·(1 + m/4), 2ᵉ·(1 + (m+1)/4)) µs; 0 µs counts as 1.
    static func bucket(microseconds: Int64) -> Int {
        let value = UInt64(max(microseconds, 1))
        let exponent = 63 - value.leadingZeroBitCount
        let fraction = exponent >= 2 ? Int(value >> UInt64(exponent - 2)) & 3 : Int(value << UInt64(2 - exponent)) & 3
        return min(exponent * 4 + fraction, bucketCount - 1)
    }

    /// The exclusive upper end of a bucket, in microseconds.
    static func upperBoundMicroseconds(of bucket: Int) -> Double {
        let exponent = bucket / 4, fraction = bucket % 4
        return Double(1 << exponent) * (1 + Double(fraction + 1) / 4)
    }
}

/// Rates and latency percentiles from a `TrafficWindow`.
package struct TrafficSummary: Sendable, Equatable {
    /// Seconds the percentiles and `requests` cover.
    package let windowSeconds: Int
    /// Seconds the rates cover.
    package let rateSeconds: Int
    /// Requests in the window.
    package let requests: Int
    package let requestsPerSecond: Double
    /// Accepted events per second.
    package let eventsPerSecond: Double
    /// Latency percentiles (upper ends of their buckets), nil without requests.
    package let p50Milliseconds: Double?
    package let p90Milliseconds: Double?
    package let p99Milliseconds: Double?
}
