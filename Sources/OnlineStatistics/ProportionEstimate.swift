/// A proportion seen in counts — lists clicked of lists served, say — with its Wilson score interval.
///
/// Wilson's interval (1927) inverts the score test, so unlike the textbook `p ± z√(p(1−p)/n)` it stays inside
/// [0, 1], is not empty at 0 or n successes, and keeps close to its nominal coverage for small counts and rare events
/// (Brown, Cai & DasGupta 2001), which is where a click-through rate of a few percent lives early in an experiment.
package struct ProportionEstimate: Sendable, Equatable {
    /// How many trials succeeded.
    package let successes: Int
    /// How many trials there were.
    package let trials: Int
    /// The confidence level of the interval, 0.95 unless asked otherwise.
    package let confidence: Double
    /// `successes / trials`, or 0 when there were no trials.
    package let value: Double
    /// The interval's lower end: exactly 0 when nothing succeeded.
    package let low: Double
    /// The interval's upper end: exactly 1 when everything succeeded.
    package let high: Double

    /// The estimate of `successes` in `trials` with its Wilson score interval at `confidence`.
    ///
    /// With no trials nothing is known: the value is 0 and the interval all of [0, 1].
    /// - Precondition: 0 ≤ `successes` ≤ `trials` and 0 < `confidence` < 1.
    package init(successes: Int, trials: Int, confidence: Double = 0.95) {
        precondition(successes >= 0 && successes <= trials, "a proportion needs 0 ≤ successes ≤ trials, not \(successes) of \(trials)")
        precondition(confidence > 0 && confidence < 1, "a confidence level lies strictly between 0 and 1, not \(confidence)")
        self.successes = successes
        self.trials = trials
        self.confidence = confidence
        guard trials > 0 else {
            (value, low, high) = (0, 0, 1)
            return
        }
        let n = Double(trials)
        let p = Double(successes) / n
        let z = StandardNormal.quantile(1 - (1 - confidence) / 2)
        let shrink = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / shrink
        let halfWidth = z / shrink * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot()
        value = p
        // At 0 or n successes one end is exact in theory; rounding would leave it a few ulps off.
        low = successes == 0 ? 0 : max(0, centre - halfWidth)
        high = successes == trials ? 1 : min(1, centre + halfWidth)
    }
}
