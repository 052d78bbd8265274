import OnlineStatistics
import Testing

struct ProportionDifferenceTests {
    @Test func matchesNewcombesWorkedExample() {
        // Newcombe (1998), example (a): 56/70 − 48/80 = 0.2, method 10 gives 0.0524 to 0.3339.
        let difference = ProportionDifference(
            treatment: ProportionEstimate(successes: 56, trials: 70), control: ProportionEstimate(successes: 48, trials: 80))
        #expect(isClose(difference.difference, 0.2, relativeTolerance: 1e-12))
        #expect(abs(difference.low - 0.0524) < 5e-5)
        #expect(abs(difference.high - 0.3339) < 5e-5)
        // The same to full precision, from the formula evaluated in python3.
        #expect(isClose(difference.low, 0.05243147240236498, relativeTolerance: 1e-12))
        #expect(isClose(difference.high, 0.3338726540369059, relativeTolerance: 1e-12))
    }

    /// Expected values from Newcombe's method 10 evaluated independently in python3 on Wilson intervals.
    @Test(arguments: [
        (9, 10, 3, 10, 0.17052272393450313, 0.809017973535488),
        (5, 56, 0, 29, -0.03813714790353685, 0.19256001385511157),
        (0, 10, 0, 20, -0.1611251580528193, 0.27753279986288915),
        (10, 10, 0, 20, 0.6790860371419148, 1.0),
        (45, 1000, 30, 1000, -0.001786491306577341, 0.032172862833855315),
    ])
    func matchesHandComputedHybridScoreIntervals(
        treatmentSuccesses: Int, treatmentTrials: Int, controlSuccesses: Int, controlTrials: Int, low: Double, high: Double
    ) {
        let difference = ProportionDifference(
            treatment: ProportionEstimate(successes: treatmentSuccesses, trials: treatmentTrials),
            control: ProportionEstimate(successes: controlSuccesses, trials: controlTrials))
        #expect(isClose(difference.low, low, relativeTolerance: 1e-12))
        #expect(isClose(difference.high, high, relativeTolerance: 1e-12))
    }

    @Test func anArmWithoutTrialsLeavesTheWholeRange() {
        let difference = ProportionDifference(
            treatment: ProportionEstimate(successes: 5, trials: 10), control: ProportionEstimate(successes: 0, trials: 0))
        #expect(difference.difference == 0.5)
        #expect(difference.low == -1)
        #expect(difference.high == 1)
    }
}
