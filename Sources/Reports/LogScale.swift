#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A base-10 logarithmic axis from the power of ten at or below the smallest value to the one at or above the
/// largest, with a tick at every power of ten (and at 2 and 5 times each when the axis spans fewer than three
/// decades). Values at or below zero sit at the lower end.
package struct LogScale: ChartScale {
    package let domain: ClosedRange<Double>
    package let ticks: [Double]
    private let lowerExponent: Double
    private let upperExponent: Double

    /// A scale covering the positive values of `values`; `floor` stands in when there are none.
    package init(covering values: [Double], floor: Double = 0.001) {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        lowerExponent = log10(positive.min() ?? floor).rounded(.down)
        var upper = log10(positive.max() ?? floor).rounded(.up)
        if upper <= lowerExponent { upper = lowerExponent + 1 }
        upperExponent = upper
        domain = pow(10, lowerExponent)...pow(10, upperExponent)
        let decades = Int(upperExponent - lowerExponent)
        let multiples: [Double] = decades < 3 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        for exponent in Int(lowerExponent)...Int(upperExponent) {
            for multiple in multiples {
                let value = multiple * pow(10, Double(exponent))
                if value <= domain.upperBound * (1 + 1e-9) { ticks.append(value) }
            }
        }
        self.ticks = ticks
    }

    package func fraction(of value: Double) -> Double {
        guard value > 0 else { return 0 }
        return min(max((log10(value) - lowerExponent) / (upperExponent - lowerExponent), 0), 1)
    }

    package func label(for value: Double) -> String {
        formatNumber(value, decimals: max(0, Int((-log10(value)).rounded(.up) + 0.000_001)))
    }
}
