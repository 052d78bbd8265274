import Foundation
import Reports
import Testing

struct NiceTicksTests {
    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        #expect(NiceTicks(covering: 0, 0.0555).values == [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06])
        #expect(NiceTicks(covering: 0, 1).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(NiceTicks(covering: 3, 97).values == [0, 20, 40, 60, 80, 100])
        #expect(NiceTicks(covering: 10, 20).values == [10, 12, 14, 16, 18, 20])
        for (lower, upper) in [(0.0, 0.0031), (-7.0, 13.0), (1.0, 1_375.0), (0.017, 0.019)] {
            let ticks = NiceTicks(covering: lower, upper)
            let mantissa = ticks.step / pow(10, log10(ticks.step).rounded(.down))
            #expect([1, 2, 5].contains { abs(mantissa - Double($0)) < 1e-9 }, "\(lower)...\(upper): step \(ticks.step)")
            #expect(ticks.values.first! <= lower && ticks.values.last! >= upper)
            #expect(ticks.values.count >= 2 && ticks.values.count <= 11)
        }
    }

    @Test func ticksPrintWithoutFloatingPointNoise() {
        let ticks = NiceTicks(covering: 0, 0.9, count: 10)
        #expect(ticks.values.contains(0.3) && ticks.values.contains(0.7))
        #expect(ticks.decimals == 1)
        #expect(LinearScale(covering: [0, 0.9], tickCount: 10).label(for: 0.3) == "0.3")
    }

    @Test func anEmptyRangeIsWidened() {
        #expect(NiceTicks(covering: 0, 0).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        let single = NiceTicks(covering: 4, 4)
        #expect(single.values.first! < 4 && single.values.last! > 4)
    }
}
