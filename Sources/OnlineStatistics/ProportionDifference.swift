/// The difference of two proportions, treatment minus control, with Newcombe's hybrid score interval.
///
/// Newcombe (1998, "Interval estimation for the difference between independent proportions", method 10) combines
/// the two Wilson intervals: the lower end is `d − √((p₁ − l₁)² + (u₂ − p₂)²)` and the upper `d + √((u₁ − p₁)² +
/// (p₂ − l₂)²)`, with `p₁, l₁, u₁` the treatment's estimate and interval and `p₂, l₂, u₂` the control's. It inherits
/// Wilson's good behaviour at small counts and rates near 0, and never leaves [−1, 1].
///
/// This is a fixed-horizon interval: read once, at a planned end. An experiment watched as it runs needs
/// `SequentialTest` for its decision.
package struct ProportionDifference: Sendable, Equatable {
    /// The treatment's proportion minus the control's.
    package let difference: Double
    /// The interval's lower end.
    package let low: Double
    /// The interval's upper end.
    package let high: Double

    /// The difference `treatment.value − control.value`, with an interval at the two estimates' confidence level.
    ///
    /// When either arm has no trials nothing is known about the difference, and the interval is all of [−1, 1].
    /// - Precondition: both estimates have the same confidence level.
    package init(treatment: ProportionEstimate, control: ProportionEstimate) {
        precondition(
            treatment.confidence == control.confidence,
            "the two intervals of a difference need one confidence level, not \(treatment.confidence) and \(control.confidence)")
        difference = treatment.value - control.value
        guard treatment.trials > 0, control.trials > 0 else {
            (low, high) = (-1, 1)
            return
        }
        let belowTreatment = treatment.value - treatment.low, aboveTreatment = treatment.high - treatment.value
        let belowControl = control.value - control.low, aboveControl = control.high - control.value
        low = difference - (belowTreatment * belowTreatment + aboveControl * aboveControl).squareRoot()
        high = difference + (aboveTreatment * aboveTreatment + belowControl * belowControl).squareRoot()
    }
}
