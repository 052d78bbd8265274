import LinearAlgebra
import Models
import Testing

struct PopularTests {
    /// Item 0: users 0, 1 (weights 2, 1); item 1: user 1 (weight 5); item 2: users 0, 1, 2; item 3: nobody.
    private func tinyData() throws -> TrainingData {
        try makeData(users: 3, items: 4, [
            (0, 0, 2, 0), (1, 0, 1, 0), (1, 1, 5, 0), (0, 2, 1, 0), (1, 2, 1, 0), (2, 2, 1, 0),
        ])
    }

    @Test func weightedScoreSumsValues() throws {
        let model = Popular.fit(try tinyData())
        #expect(model.itemScores == [3, 5, 3, 0])
        #expect(model.userCount == 3 && model.itemCount == 4)
    }

    @Test func binaryScoreCountsUsers() throws {
        let model = Popular.fit(try tinyData(), parameters: PopularParameters(binary: true))
        #expect(model.itemScores == [2, 1, 3, 0])
    }

    @Test func recommendsByScoreWithTiesBySmallerIndexAndSkipsHistory() throws {
        let model = Popular.fit(try tinyData(), parameters: PopularParameters(binary: true))
        let anonymous = UserQuery(user: nil, history: [], weights: [])
        #expect(recommend(model, for: anonymous, count: 10).map(\.item) == [2, 0, 1, 3])
        let user = UserQuery(user: 2, history: [2], weights: [1])
        #expect(recommend(model, for: user, count: 2).map(\.item) == [0, 1])
        #expect(recommend(model, for: user, count: 10, excluding: [0]).map(\.item) == [1, 3])
        #expect(model.similarItems(to: 0, count: 3) == nil)
    }
}
