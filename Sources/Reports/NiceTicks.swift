#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Axis ticks at round numbers: steps of 1, 2 or 5 times a power of ten, covering a range.
package struct NiceTicks: Sendable, Equatable {
    /// The tick values, ascending; the first is at or below the range's lower end, the last at or above its upper.
    package let values: [Double]
    /// The distance between neighbouring ticks.
    package let step: Double

    /// About `count` ticks (at least 2) covering `lower...upper`. An empty range is widened to a unit around it.
    package init(covering lower: Double, _ upper: Double, count: Int = 5) {
        var low = min(lower, upper), high = max(lower, upper)
        if high - low < Double.ulpOfOne * max(1, abs(high)) {
            low -= low == 0 ? 0 : abs(low) / 2
            high += high == 0 ? 1 : abs(high) / 2
        }
        let step = Self.step(for: (high - low) / Double(max(count - 1, 1)))
        self.step = step
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        let decimals = Self.decimals(of: step)
        values = stride(from: first, through: last, by: 1).map { Self.rounded($0 * step, decimals: decimals) }
    }

    /// The digits after the point that tick labels need.
    package var decimals: Int { Self.decimals(of: step) }

    /// The 1-2-5 step nearest to `rough` (Heckbert's "nice numbers").
    static func step(for rough: Double) -> Double {
        let magnitude = pow(10, (log10(rough)).rounded(.down))
        let residual = rough / magnitude
        let factor: Double = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10
        return factor * magnitude
    }

    static func decimals(of step: Double) -> Int {
        max(0, Int((-log10(step)).rounded(.up) + 0.000_001))
    }

    /// `value` rounded to `decimals` places, so ticks print as `0.3`, not `0.30000000000000004`.
    private static func rounded(_ value: Double, decimals: Int) -> Double {
        let scale = pow(10, Double(decimals))
        let result = (value * scale).rounded() / scale
        return result == 0 ? 0 : result
    }
}
