import Foundation
import LinearAlgebra
import Models
import Testing

struct SoftmaxPopularityTests {
    /// Item counts 8, 4, 2, 1, 1 and 0 (item 5 has no events).
    private func data() throws -> TrainingData {
        let counts = [8, 4, 2, 1, 1]
        var pairs = [(Int32, Int32)]()
        for (item, count) in counts.enumerated() {
            for user in 0..<count { pairs.append((Int32(user), Int32(item))) }
        }
        return try makeBinaryData(users: 8, items: 6, pairs)
    }

    /// How often each item is drawn first over `draws` seeded queries with `history` seen.
    private func firstDraws(_ model: SoftmaxPopularity, history: [Int32] = [], draws: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: model.itemCount)
        for draw in 0..<draws {
            let query = UserQuery(
                user: nil, history: history, weights: history.map { _ in 1 }, seed: UInt64(draw) &* 0x9E37_79B9)
            if let top = recommend(model, for: query, count: 1).first { counts[Int(top.item)] += 1 }
        }
        return counts
    }

    @Test(arguments: [Float(1), 0.5, 2])
    func drawsInProportionToCountToTheOneOverTau(temperature: Float) throws {
        let model = try SoftmaxPopularity.fit(data(), parameters: SoftmaxParameters(temperature: temperature), seed: 1)
        let weights = [8.0, 4, 2, 1, 1, 0].map { pow($0, 1 / Double(temperature)) }
        let total = weights.reduce(0, +)
        let draws = 20_000
        let observed = firstDraws(model, draws: draws)
        let statistic = chiSquare(observed: observed, expected: weights.map { Double(draws) * $0 / total })
        // 4 degrees of freedom (item 5 is never drawn): the 0.1% critical value is 18.47; the seeds are fixed.
        #expect(statistic < 18.47, "χ² \(statistic) over \(observed) at τ \(temperature)")
        #expect(observed[5] == 0)
    }

    @Test func drawsOnlyUnseenItemsRenormalised() throws {
        let model = try SoftmaxPopularity.fit(data(), seed: 1)
        let draws = 10_000
        let observed = firstDraws(model, history: [0], draws: draws)
        let statistic = chiSquare(observed: observed, expected: [0, 4, 2, 1, 1, 0].map { Double(draws) * $0 / 8 })
        #expect(statistic < 16.27, "χ² \(statistic) over \(observed)")  // 3 degrees of freedom, 0.1%
    }

    @Test func aRankingIsASampleWithoutReplacement() throws {
        let model = try SoftmaxPopularity.fit(data(), seed: 1)
        // P(second = 1 | first = 0) = 4 / (4 + 2 + 1 + 1) = 0.5 by Gumbel-top-k; count over the draws led by 0.
        var ledByZero = 0, thenOne = 0
        for draw in 0..<20_000 {
            let ranked = recommend(model, for: UserQuery(user: nil, history: [], weights: [], seed: UInt64(draw)), count: 6)
            #expect(ranked.count == 5 && Set(ranked.map(\.item)).count == 5)
            guard ranked[0].item == 0 else { continue }
            ledByZero += 1
            if ranked[1].item == 1 { thenOne += 1 }
        }
        let share = Double(thenOne) / Double(ledByZero)
        #expect(abs(share - 0.5) < 0.02, "\(thenOne) of \(ledByZero)")
    }

    @Test func candidatesKeepOnlyTheMostPopular() throws {
        let model = try SoftmaxPopularity.fit(data(), parameters: SoftmaxParameters(candidates: 3), seed: 1)
        #expect(model.logits[3] == -.infinity && model.logits[4] == -.infinity && model.logits[5] == -.infinity)
        #expect(model.logits[0] == Float(log(8.0)))
        let ranked = recommend(model, for: UserQuery(user: nil, history: [1], weights: [1], seed: 3), count: 10)
        #expect(Set(ranked.map(\.item)) == [0, 2])
    }

    @Test func theQuerySeedDecidesTheDraw() throws {
        let model = try SoftmaxPopularity.fit(data(), parameters: SoftmaxParameters(temperature: 20), seed: 1)
        func list(seed: UInt64?, user: Int32? = 0) -> [Int32] {
            recommend(model, for: UserQuery(user: user, history: [], weights: [], seed: seed), count: 5).map(\.item)
        }
        #expect(list(seed: 9) == list(seed: 9))
        #expect((0..<20).contains { list(seed: UInt64($0)) != list(seed: 9) })
        #expect(list(seed: nil) == list(seed: nil))
        #expect((1..<20).contains { list(seed: nil, user: Int32($0)) != list(seed: nil) })
    }

    @Test func rejectsTemperaturesAndCandidatesOutOfRange() throws {
        for temperature in [Float(0), -1, .nan, .infinity] {
            #expect(throws: ModelError.self) {
                try SoftmaxPopularity.fit(data(), parameters: SoftmaxParameters(temperature: temperature), seed: 1)
            }
        }
        #expect(throws: ModelError.self) {
            try SoftmaxPopularity.fit(data(), parameters: SoftmaxParameters(candidates: -1), seed: 1)
        }
    }

    @Test func decodesPartialParametersWithDefaults() throws {
        let decoded = try JSONDecoder().decode(SoftmaxParameters.self, from: Data(#"{"candidates": 50}"#.utf8))
        #expect(decoded == SoftmaxParameters(temperature: 1, candidates: 50))
    }
}
