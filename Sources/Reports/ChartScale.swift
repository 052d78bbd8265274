/// Maps data values onto a chart axis and says where its ticks are and how to label them.
package protocol ChartScale: Sendable {
    /// The values at the axis's two ends.
    var domain: ClosedRange<Double> { get }
    /// Tick values inside ``domain``, ascending.
    var ticks: [Double] { get }
    /// Where `value` falls along the axis: 0 at the domain's lower end, 1 at its upper (values outside are clamped).
    func fraction(of value: Double) -> Double
    /// The text under or beside the tick at `value`.
    func label(for value: Double) -> String
}

/// A linear axis whose ends are 1-2-5 ticks covering the data.
package struct LinearScale: ChartScale {
    package let domain: ClosedRange<Double>
    package let ticks: [Double]
    private let decimals: Int

    /// A scale covering `values` (and 0 when `includingZero`), with about `tickCount` ticks.
    package init(covering values: [Double], includingZero: Bool = false, tickCount: Int = 5) {
        let finite = values.filter(\.isFinite) + (includingZero ? [0] : [])
        let nice = NiceTicks(covering: finite.min() ?? 0, finite.max() ?? 1, count: tickCount)
        domain = nice.values[0]...nice.values[nice.values.count - 1]
        ticks = nice.values
        decimals = nice.decimals
    }

    /// A scale for whole numbers (folds, epochs): ticks every 1, 2 or 5 integers, never between them.
    package static func integers(covering values: [Double]) -> LinearScale {
        let finite = values.filter(\.isFinite)
        let span = (finite.max() ?? 1) - (finite.min() ?? 0)
        return LinearScale(covering: finite, tickCount: Int(min(max(span, 1), 5)) + 1)
    }

    package func fraction(of value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        return min(max((value - domain.lowerBound) / span, 0), 1)
    }

    package func label(for value: Double) -> String {
        formatNumber(value, decimals: decimals)
    }
}
