import OnlineStatistics
import Testing

struct ProportionEstimateTests {
    /// Expected ends from the Wilson formula evaluated independently in python3, with z from
    /// `statistics.NormalDist().inv_cdf(0.975)`.
    @Test(arguments: [
        (10, 100, 0.0552291370606751, 0.17436566150491345),
        (0, 10, 0.0, 0.27753279986288915),
        (10, 10, 0.7224672001371109, 1.0),
        (5, 5, 0.5655175352168254, 1.0),
        (1, 3, 0.06149194472039632, 0.7923403991979523),
        (3, 1000, 0.0010207838811386195, 0.008783014053503173),
        (30, 1000, 0.021093738828834703, 0.04250341414758712),
        (4500, 100_000, 0.04373252310610004, 0.046302432826350534),
    ])
    func matchesHandComputedWilsonIntervals(successes: Int, trials: Int, low: Double, high: Double) {
        let estimate = ProportionEstimate(successes: successes, trials: trials)
        #expect(estimate.value == Double(successes) / Double(trials))
        #expect(isClose(estimate.low, low, relativeTolerance: 1e-12))
        #expect(isClose(estimate.high, high, relativeTolerance: 1e-12))
    }

    @Test func noSuccessesStartAtExactlyZeroAndAllSuccessesEndAtExactlyOne() {
        #expect(ProportionEstimate(successes: 0, trials: 10).low == 0)
        #expect(ProportionEstimate(successes: 0, trials: 1_000_000).low == 0)
        #expect(ProportionEstimate(successes: 10, trials: 10).high == 1)
        #expect(ProportionEstimate(successes: 999_999, trials: 999_999).high == 1)
    }

    @Test func noTrialsGiveZeroWithTheWholeUnitInterval() {
        let estimate = ProportionEstimate(successes: 0, trials: 0)
        #expect(estimate.value == 0)
        #expect(estimate.low == 0)
        #expect(estimate.high == 1)
    }

    @Test func higherConfidenceWidensTheInterval() {
        // 99%: python3 with z = NormalDist().inv_cdf(0.995).
        let estimate = ProportionEstimate(successes: 10, trials: 100, confidence: 0.99)
        #expect(isClose(estimate.low, 0.04602581170103505, relativeTolerance: 1e-12))
        #expect(isClose(estimate.high, 0.20375073847162334, relativeTolerance: 1e-12))
    }
}
