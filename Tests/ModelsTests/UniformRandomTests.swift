import LinearAlgebra
import Models
import Testing

struct UniformRandomTests {
    /// 10 users × 10 items; item 9 has no events and still takes part.
    private func model(seed: UInt64 = 1) throws -> UniformRandom {
        let data = try makeBinaryData(users: 10, items: 10, (0..<10).map { (Int32($0), Int32($0 % 9)) })
        return UniformRandom.fit(data, seed: seed)
    }

    @Test func drawsUnseenItemsUniformlyInEveryPosition() throws {
        let model = try model()
        let seen: [Int32] = [2, 7]
        let draws = 8_000
        var inTopThree = [Int](repeating: 0, count: 10), first = [Int](repeating: 0, count: 10)
        for draw in 0..<draws {
            let query = UserQuery(user: 0, history: seen, weights: [1, 1], seed: UInt64(draw))
            let ranked = recommend(model, for: query, count: 3)
            #expect(ranked.count == 3)
            for entry in ranked { inTopThree[Int(entry.item)] += 1 }
            first[Int(ranked[0].item)] += 1
        }
        let unseen = (0..<10).map { seen.contains(Int32($0)) ? 0.0 : 1.0 }
        // 7 degrees of freedom: the 0.1% critical value is 24.32. The seeds are fixed, so this never flakes.
        let topThree = chiSquare(observed: inTopThree, expected: unseen.map { $0 * Double(draws * 3) / 8 })
        let firstPosition = chiSquare(observed: first, expected: unseen.map { $0 * Double(draws) / 8 })
        #expect(topThree < 24.32, "χ² \(topThree) over \(inTopThree)")
        #expect(firstPosition < 24.32, "χ² \(firstPosition) over \(first)")
    }

    @Test func neverRecommendsSeenItemsAndRanksEveryUnseenOne() throws {
        let model = try model()
        let query = UserQuery(user: 3, history: [0, 1, 2, 3], weights: [1, 1, 1, 1], seed: 42)
        let ranked = recommend(model, for: query, count: 100)
        #expect(Set(ranked.map(\.item)) == Set(4...9))
        #expect(ranked.count == 6)
        #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.score > $1.score })
    }

    @Test func theQuerySeedDecidesTheDraw() throws {
        let model = try model()
        func list(_ query: UserQuery) -> [Int32] { recommend(model, for: query, count: 10).map(\.item) }
        let seeded = UserQuery(user: 0, history: [], weights: [], seed: 5)
        #expect(list(seeded) == list(seeded))
        var other = seeded
        other.seed = 6
        #expect(list(other) != list(seeded))
        // Without a seed: the fit's seed on the user's stream, fixed per user, different across users and fits.
        let first = UserQuery(user: 1, history: [], weights: [])
        #expect(list(first) == list(first))
        #expect(list(first) != list(UserQuery(user: 2, history: [], weights: [])))
        #expect(recommend(try self.model(seed: 2), for: first, count: 10).map(\.item) != list(first))
    }

    @Test func hasNoSimilarItems() throws {
        #expect(try model().similarItems(to: 0, count: 5) == nil)
    }
}
