import Reports
import Testing

struct ScaleTests {
    @Test func linearScaleMapsItsDomainOntoZeroToOneAndClamps() {
        let scale = LinearScale(covering: [0.013, 0.0555], includingZero: true)
        #expect(scale.domain == 0...0.06)
        #expect(abs(scale.fraction(of: 0.03) - 0.5) < 1e-12)
        #expect(scale.ticks.count == 7)
        #expect(scale.fraction(of: -1) == 0 && scale.fraction(of: 1) == 1)
    }

    @Test func integerScaleTicksOnlyAtWholeNumbers() {
        #expect(LinearScale.integers(covering: [1, 2]).ticks == [1, 2])
        #expect(LinearScale.integers(covering: [0, 4]).ticks == [0, 1, 2, 3, 4])
        #expect(LinearScale.integers(covering: [1, 10]).ticks == [0, 2, 4, 6, 8, 10])
        #expect(LinearScale.integers(covering: [1, 30]).ticks == [0, 5, 10, 15, 20, 25, 30])
        #expect(LinearScale.integers(covering: [3]).ticks.allSatisfy { $0 == $0.rounded() })
    }

    @Test func logScaleSpansWholeDecadesWithATickAtEachPowerOfTen() {
        let scale = LogScale(covering: [0.00312, 8.4, 200])
        #expect(scale.domain == 0.001...1000)
        #expect(scale.ticks == [0.001, 0.01, 0.1, 1, 10, 100, 1000])
        #expect(abs(scale.fraction(of: 1) - 0.5) < 1e-12)
        #expect(scale.fraction(of: 0) == 0)
        #expect(scale.ticks.map(scale.label(for:)) == ["0.001", "0.01", "0.1", "1", "10", "100", "1000"])
    }

    @Test func aNarrowLogScaleAddsTwoAndFiveTicks() {
        let scale = LogScale(covering: [1.5, 40])
        #expect(scale.domain == 1...100)
        #expect(scale.ticks == [1, 2, 5, 10, 20, 50, 100])
    }

    @Test func logScaleOfNoPositiveValueStillHasADecade() {
        let scale = LogScale(covering: [0, -1])
        #expect(scale.domain.upperBound == scale.domain.lowerBound * 10)
    }

    @Test func paletteIsOkabeItoInAFixedOrder() {
        #expect(Palette.colour(at: 0) == "#0072B2")
        #expect(Palette.colour(at: 8) == Palette.colour(at: 0))
        #expect(Set(Palette.okabeIto).count == 8)
    }
}
