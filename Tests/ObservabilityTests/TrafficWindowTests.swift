import Locking
import Testing
@testable import Observability

/// The dashboard's traffic window: rates over whole past seconds, latency percentiles within a bucket's width,
/// and seconds older than the window forgotten.
struct TrafficWindowTests {
    /// A clock the test moves by hand.
    private final class ManualClock: Sendable {
        let now = Lock<Int64>(1_000)
        func advance(_ seconds: Int64) { now.withLock { $0 += seconds } }
    }

    @Test func bucketsHoldTheirLatencyWithinAQuarterOfAPowerOfTwo() {
        for microseconds: Int64 in [1, 2, 3, 5, 7, 100, 999, 1000, 4096, 123_456, 10_000_000] {
            let bucket = TrafficWindow.bucket(microseconds: microseconds)
            let upper = TrafficWindow.upperBoundMicroseconds(of: bucket)
            #expect(Double(microseconds) < upper, "\(microseconds)")
            #expect(upper <= Double(microseconds) * 1.25 + 1, "\(microseconds) → \(upper)")
        }
        #expect(TrafficWindow.bucket(microseconds: 0) == TrafficWindow.bucket(microseconds: 1))
        #expect(TrafficWindow.bucket(microseconds: .max) == TrafficWindow.bucketCount - 1)
    }

    @Test func ratesCountWholePastSecondsAndPercentilesTheWindow() {
        let clock = ManualClock()
        let window = TrafficWindow { clock.now.withLock { $0 } }
        for second in 0..<10 {
            for _ in 0..<90 { window.recordRequest(duration: .microseconds(1000)) }
            for _ in 0..<10 { window.recordRequest(duration: .milliseconds(40)) }
            window.recordEvents(50)
            if second < 9 { clock.advance(1) }
        }
        // The current (10th) second is still filling: the rate over the last 9 whole seconds.
        let summary = window.summary(rateSeconds: 9)
        #expect(summary.requests == 1000)
        #expect(summary.requestsPerSecond == 100)
        #expect(summary.eventsPerSecond == 50)
        #expect(summary.p50Milliseconds.map { (1.0...1.25).contains($0) } == true, "\(String(describing: summary.p50Milliseconds))")
        #expect(summary.p99Milliseconds.map { (40.0...50.0).contains($0) } == true, "\(String(describing: summary.p99Milliseconds))")
        clock.advance(Int64(TrafficWindow.seconds) + 1)
        let later = window.summary()
        #expect(later.requests == 0 && later.requestsPerSecond == 0 && later.p50Milliseconds == nil)
    }
}
