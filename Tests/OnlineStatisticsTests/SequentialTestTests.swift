import OnlineStatistics
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct SequentialTestTests {
    /// Λ = √(V/(V+τ²)) · exp(d²τ²/(2V(V+τ²))) with the pooled V, evaluated independently in python3.
    @Test(arguments: [
        (300, 10_000, 380, 10_000, 1e-4, 0.04166855502101851),
        (900, 30_000, 350, 10_000, 1e-4, 0.2587385633033641),
        (2000, 10_000, 2150, 10_000, 1e-3, 0.20429042044535237),
    ])
    func oneLookGivesOneOverTheHandComputedMixtureRatio(
        controlSuccesses: Int, controlTrials: Int, treatmentSuccesses: Int, treatmentTrials: Int, mixingVariance: Double,
        expected: Double
    ) {
        let look = SequentialTest.Look(
            controlSuccesses: controlSuccesses, controlTrials: controlTrials,
            treatmentSuccesses: treatmentSuccesses, treatmentTrials: treatmentTrials)
        let test = SequentialTest(mixingVariance: mixingVariance)
        #expect(isClose(test.pValue(looks: [look]), expected, relativeTolerance: 1e-10))
    }

    @Test func aLookWithARatioBelowOneGivesOne() {
        // Λ = 0.8148 (python3): the data favour no difference.
        let look = SequentialTest.Look(controlSuccesses: 300, controlTrials: 10_000, treatmentSuccesses: 340, treatmentTrials: 10_000)
        #expect(SequentialTest(mixingVariance: 1e-4).pValue(looks: [look]) == 1)
    }

    @Test func thePValueNeverRisesAgainAfterWeakerLaterLooks() {
        let strong = SequentialTest.Look(controlSuccesses: 300, controlTrials: 10_000, treatmentSuccesses: 380, treatmentTrials: 10_000)
        let weaker = SequentialTest.Look(controlSuccesses: 600, controlTrials: 20_000, treatmentSuccesses: 640, treatmentTrials: 20_000)
        let test = SequentialTest(mixingVariance: 1e-4)
        #expect(test.pValue(looks: [weaker]) == 1)
        #expect(test.pValue(looks: [strong, weaker]) == test.pValue(looks: [strong]))
    }

    @Test func isTwoSided() {
        let better = SequentialTest.Look(controlSuccesses: 300, controlTrials: 10_000, treatmentSuccesses: 380, treatmentTrials: 10_000)
        let worse = SequentialTest.Look(controlSuccesses: 380, controlTrials: 10_000, treatmentSuccesses: 300, treatmentTrials: 10_000)
        #expect(SequentialTest().pValue(looks: [worse]) == SequentialTest().pValue(looks: [better]))
    }

    @Test func noLooksGiveOne() {
        #expect(SequentialTest().pValue(looks: []) == 1)
    }

    @Test func looksWithoutTrialsGiveOne() {
        let empty = SequentialTest.Look(controlSuccesses: 0, controlTrials: 0, treatmentSuccesses: 0, treatmentTrials: 0)
        #expect(SequentialTest(minimumTrials: 1).pValue(looks: [empty, empty]) == 1)
    }

    @Test func looksBeforeTheBurnInAreSkipped() {
        // No clicks against a click on every list: overwhelming, but only 150 lists in each arm.
        let early = SequentialTest.Look(controlSuccesses: 0, controlTrials: 150, treatmentSuccesses: 150, treatmentTrials: 150)
        #expect(SequentialTest(minimumTrials: 200).pValue(looks: [early]) == 1)
        #expect(SequentialTest(minimumTrials: 100).pValue(looks: [early]) < 0.05)
        let lopsided = SequentialTest.Look(controlSuccesses: 0, controlTrials: 10_000, treatmentSuccesses: 150, treatmentTrials: 150)
        #expect(SequentialTest(minimumTrials: 200).pValue(looks: [lopsided]) == 1)
    }

    @Test func identicalArmsWithZeroVarianceGiveOne() {
        let noClicks = SequentialTest.Look(controlSuccesses: 0, controlTrials: 10_000, treatmentSuccesses: 0, treatmentTrials: 10_000)
        let allClicks = SequentialTest.Look(
            controlSuccesses: 10_000, controlTrials: 10_000, treatmentSuccesses: 5000, treatmentTrials: 5000)
        #expect(SequentialTest().pValue(looks: [noClicks, allClicks]) == 1)
    }

    /// A/A experiments — both arms the same click-through rate — watched every hour for 30 days (720 looks): the
    /// share of experiments whose p-value ever reaches 0.05 must stay at or below 5%. The same data read hourly with
    /// a fixed-horizon z-test (same pooled variance, same burn-in) must go above 5%, or the simulation proves nothing.
    /// 1,000 experiments per case: a standard error of about 0.7 points at 5%.
    @Test(arguments: [
        (0.03, 0.5, UInt64(1)),
        (0.20, 0.5, UInt64(2)),
        // A 90/10 split: at the low end of traffic the small arm sees a few clicks a day.
        (0.03, 0.1, UInt64(3)),
    ])
    func keepsTheFalsePositiveRateAtMostFivePercentUnderHourlyPeeks(rate: Double, treatmentShare: Double, seed: UInt64) {
        let simulation = SimulatedExperiments(
            controlRate: rate, treatmentRate: rate, treatmentShare: treatmentShare, listsPerHourPerArm: 20...200,
            experiments: 1000, seed: seed)
        let test = SequentialTest()
        var sequentialRejections = 0
        var naiveRejections = 0
        simulation.run { looks in
            // The p-value is a running minimum, so the last one is ≤ 0.05 exactly when some hour's was.
            if test.pValue(looks: looks) <= 0.05 { sequentialRejections += 1 }
            if looks.contains(where: { naiveZTestPValue($0, minimumTrials: test.minimumTrials) <= 0.05 }) { naiveRejections += 1 }
        }
        let falsePositiveRate = Double(sequentialRejections) / Double(simulation.experiments)
        let naiveFalsePositiveRate = Double(naiveRejections) / Double(simulation.experiments)
        #expect(falsePositiveRate <= 0.05, "mSPRT: \(falsePositiveRate), naive z-test: \(naiveFalsePositiveRate)")
        #expect(naiveFalsePositiveRate > 0.05, "mSPRT: \(falsePositiveRate), naive z-test: \(naiveFalsePositiveRate)")
    }

    /// Real differences are found within the month: 3% against 4.5% with about 200 lists an hour in each arm, and a
    /// smaller lift (3% against 3.6%) on thinner traffic. 500 experiments each; the floors sit a few points below
    /// what they measure.
    @Test(arguments: [
        (0.045, 150...250, 0.95, UInt64(4)),
        (0.036, 20...200, 0.9, UInt64(5)),
    ])
    func findsARealDifferenceWithinTheMonth(
        treatmentRate: Double, listsPerHourPerArm: ClosedRange<Int>, floor: Double, seed: UInt64
    ) {
        let simulation = SimulatedExperiments(
            controlRate: 0.03, treatmentRate: treatmentRate, treatmentShare: 0.5, listsPerHourPerArm: listsPerHourPerArm,
            experiments: 500, seed: seed)
        let test = SequentialTest()
        var detections = 0
        simulation.run { looks in
            if test.pValue(looks: looks) <= 0.05 { detections += 1 }
        }
        let power = Double(detections) / Double(simulation.experiments)
        #expect(power >= floor, "power \(power)")
    }
}

/// The two-sided p-value of a fixed-horizon z-test on one look, with the pooled variance and the same burn-in as
/// `SequentialTest`: valid when read once, at a planned end, and not when read every hour.
private func naiveZTestPValue(_ look: SequentialTest.Look, minimumTrials: Int) -> Double {
    guard look.controlTrials >= minimumTrials, look.treatmentTrials >= minimumTrials else { return 1 }
    let controlTrials = Double(look.controlTrials), treatmentTrials = Double(look.treatmentTrials)
    let pooled = Double(look.controlSuccesses + look.treatmentSuccesses) / (controlTrials + treatmentTrials)
    let variance = pooled * (1 - pooled) * (1 / controlTrials + 1 / treatmentTrials)
    guard variance > 0 else { return 1 }
    let difference = Double(look.treatmentSuccesses) / treatmentTrials - Double(look.controlSuccesses) / controlTrials
    return erfc(abs(difference) / (2 * variance).squareRoot())
}

/// Experiments run for 30 days and looked at every hour, with the hourly cumulative counts the service keeps.
///
/// Each experiment draws once, from `listsPerHourPerArm`, the lists an hour each arm would serve under an even split;
/// each hour's total (twice that on average) follows a daily cycle between half and one and a half times its mean
/// and is split between the arms by `treatmentShare`; each arm's successes that hour are an exact binomial draw at
/// its rate.
private struct SimulatedExperiments {
    var controlRate: Double
    var treatmentRate: Double
    var treatmentShare: Double
    var listsPerHourPerArm: ClosedRange<Int>
    var experiments: Int
    var seed: UInt64
    var hours = 720

    /// Calls `body` with each experiment's looks, in hour order.
    func run(_ body: ([SequentialTest.Look]) -> Void) {
        var random = SplitMix64(seed: seed)
        var looks: [SequentialTest.Look] = []
        looks.reserveCapacity(hours)
        for _ in 0..<experiments {
            let listsPerHour = 2 * Double(Int.random(in: listsPerHourPerArm, using: &random))
            var look = SequentialTest.Look(controlSuccesses: 0, controlTrials: 0, treatmentSuccesses: 0, treatmentTrials: 0)
            looks.removeAll(keepingCapacity: true)
            for hour in 0..<hours {
                let lists = listsPerHour * (1 + 0.5 * sin(2 * Double.pi * Double(hour) / 24))
                let treatmentLists = Int((lists * treatmentShare).rounded())
                let controlLists = Int((lists * (1 - treatmentShare)).rounded())
                look.controlTrials += controlLists
                look.treatmentTrials += treatmentLists
                look.controlSuccesses += random.binomial(trials: controlLists, probability: controlRate)
                look.treatmentSuccesses += random.binomial(trials: treatmentLists, probability: treatmentRate)
                looks.append(look)
            }
            body(looks)
        }
    }
}
