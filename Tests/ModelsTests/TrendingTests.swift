import Foundation
import LinearAlgebra
import Models
import Testing

struct TrendingTests {
    private let day = 86_400.0

    @Test func decaysEveryPairByHalfLifeFromNewestTime() throws {
        // Newest time is 14 days; item 0 has pairs at 14 and 7 days, item 1 at 0 and 14 days (duplicate
        // (user 2, item 1) keeps its latest time 14), item 2 at 7 days.
        let data = try makeData(users: 3, items: 3, [
            (0, 0, 1, 14 * day), (1, 0, 1, 7 * day), (0, 1, 1, 0), (2, 1, 1, 3 * day), (2, 1, 1, 14 * day),
            (1, 2, 1, 7 * day),
        ])
        let model = try Trending.fit(data)
        #expect(model.referenceTime == 14 * day)
        #expect(isClose(Double(model.itemScores[0]), log2(1 + 0.5)))
        #expect(isClose(Double(model.itemScores[1]), log2(0.25 + 1)))
        #expect(isClose(Double(model.itemScores[2]), log2(0.5)))
        let list = recommend(model, for: UserQuery(user: 0, history: [0], weights: [1]), count: 5)
        #expect(list.map(\.item) == [1, 2])
    }

    @Test func honoursHalfLifeAndReferenceTimeParameters() throws {
        let data = try makeData(users: 1, items: 2, [(0, 0, 1, 0), (0, 1, 1, day)])
        let model = try Trending.fit(
            data, parameters: TrendingParameters(halfLifeSeconds: day, referenceTime: 3 * day))
        #expect(isClose(Double(model.itemScores[0]), log2(0.125)))
        #expect(isClose(Double(model.itemScores[1]), log2(0.25)))
        #expect(throws: ModelError.self) {
            try Trending.fit(data, parameters: TrendingParameters(halfLifeSeconds: 0))
        }
    }

    @Test func keepsTheOrderOfItemsFarOlderThanFloat32CanDecay() throws {
        // Eight years before the reference: 2^-417 per pair, far below float32's smallest value. Item 1's one
        // pair two half-lives newer (2^-415) outranks item 0's two old pairs (2^-416).
        let old = 0.0
        let reference = 8 * 365 * day
        let data = try makeData(users: 3, items: 3, [
            (0, 0, 1, old), (1, 0, 1, old), (0, 1, 1, old + 14 * day), (0, 2, 1, reference),
        ])
        let model = try Trending.fit(data)
        let list = recommend(model, for: UserQuery(user: nil, history: [], weights: []), count: 3)
        #expect(list.map(\.item) == [2, 1, 0])
        #expect(list.allSatisfy { $0.score.isFinite })
    }

    @Test func ranksPairsBefore1970ByTheirAge() throws {
        // Negative unix times (year 0141, 1969) decay like any other: by their distance to the newest time.
        let ancient = -57_687_422_290.0
        let data = try makeData(users: 3, items: 3, [
            (0, 0, 1, ancient), (1, 0, 1, ancient), (0, 1, 1, -day), (2, 2, 1, -2 * day),
        ])
        let model = try Trending.fit(data)
        #expect(model.referenceTime == -day)
        #expect(isClose(Double(model.itemScores[1]), 0))
        #expect(isClose(Double(model.itemScores[2]), -1 / 7))
        let list = recommend(model, for: UserQuery(user: nil, history: [], weights: []), count: 3)
        #expect(list.map(\.item) == [1, 2, 0])
        #expect(list.allSatisfy { $0.score.isFinite })
    }
}
