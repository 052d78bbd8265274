import LinearAlgebra
import Testing

struct Xoshiro256StarStarTests {
    @Test func sameSeedGivesSameSequence() {
        var first = Xoshiro256StarStar(seed: 1)
        var second = Xoshiro256StarStar(seed: 1)
        var other = Xoshiro256StarStar(seed: 2)
        let a = (0..<100).map { _ in first.next() }
        #expect(a == (0..<100).map { _ in second.next() })
        #expect(a != (0..<100).map { _ in other.next() })
        var streamZero = Xoshiro256StarStar(seed: 1, stream: 0)
        var streamOne = Xoshiro256StarStar(seed: 1, stream: 1)
        #expect(streamZero.next() != streamOne.next())
    }

    @Test func boundedValuesStayInRangeAndCoverIt() {
        var generator = Xoshiro256StarStar(seed: 9)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 { counts[generator.nextIndex(below: 7)] += 1 }
        for count in counts { #expect(count > 850 && count < 1150) }
        for _ in 0..<1000 {
            let value = generator.nextUnitFloat()
            #expect(value >= 0 && value < 1)
        }
    }

    @Test func fillGaussianGivesNextGaussiansDrawsInOrder() {
        var one = Xoshiro256StarStar(seed: 5), bulk = Xoshiro256StarStar(seed: 5)
        let count = 70_000  // past one block of uniforms
        let expected = (0..<count).map { _ in one.nextGaussian() }
        var filled = [Float](repeating: .nan, count: count)
        filled.withUnsafeMutableBufferPointer { bulk.fillGaussian($0) }
        #expect(filled == expected)
        #expect(one.next() == bulk.next())
    }
}
