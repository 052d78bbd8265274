import Dispatch

/// Durations of repeated runs of one operation, in seconds.
struct Samples {
    private(set) var seconds: [Double] = []

    /// Runs `work` once, records its wall time, and returns its result.
    mutating func time<Result>(_ work: () throws -> Result) rethrows -> Result {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try work()
        seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        return result
    }

    /// The `fraction` quantile by nearest rank (0.5 the median, 0.99 the p99); 0 when empty.
    func quantile(_ fraction: Double) -> Double {
        guard !seconds.isEmpty else { return 0 }
        let sorted = seconds.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count, max(1, rank)) - 1]
    }

    /// The median.
    var median: Double { quantile(0.5) }
}

extension Samples {
    /// Records a duration measured elsewhere.
    mutating func record(seconds value: Double) {
        seconds.append(value)
    }

    /// Adds every duration of `other`.
    mutating func append(_ other: Samples) {
        seconds.append(contentsOf: other.seconds)
    }
}
