import LinearAlgebra
@testable import Models
import Testing

struct MarkovTests {
    /// Four users' items in time order: u0 0→1→2, u1 0→1, u2 1→2, u3 0→2. Times are out of index order on purpose.
    private func sequences() throws -> TrainingData {
        try makeData(users: 4, items: 4, [
            (0, 2, 1, 30), (0, 0, 1, 10), (0, 1, 1, 20),
            (1, 1, 1, 5), (1, 0, 1, 4),
            (2, 2, 1, 9), (2, 1, 1, 8),
            (3, 0, 1, 1), (3, 2, 1, 2),
        ])
    }

    @Test func countsConsecutiveItemsInTimeOrder() throws {
        let model = try Markov.fit(try sequences())
        let t = model.transitions
        func count(_ from: Int, _ to: Int32) -> Float {
            t.entryRange(ofRow: from).first { t.columns[$0] == to }.map { t.values[$0] } ?? 0
        }
        #expect(count(0, 1) == 2 && count(1, 2) == 2 && count(0, 2) == 1)
        #expect(count(1, 0) == 0 && count(2, 1) == 0 && t.nonzeroCount == 3, "no transition against time")
        // Users per item: 0 → 3, 1 → 3, 2 → 3, 3 → 0 over 9 pairs.
        let third: Float = 3.0 / 9
        #expect(model.prior == [third, third, third, 0])
    }

    @Test func scoresTheSmoothedTransitionsOfTheLatestItem() throws {
        let model = try Markov.fit(try sequences(), parameters: MarkovParameters(smoothing: 1, window: 1))
        // After item 0: c = (0, 2, 1, 0), c_0 = 3, α = 1, p = (1/3, 1/3, 1/3, 0): P(j | 0) = (c_0j + p_j) / 4.
        let query = UserQuery(user: nil, history: [2, 0], weights: [1, 1], lastSeen: [5, 50])
        let scores = try #require(allScores(model, query))
        let expected: [Float] = [1.0 / 12, 7.0 / 12, 4.0 / 12, 0]
        for (found, wanted) in zip(scores, expected) { #expect(abs(found - wanted) < 1e-6, "\(scores)") }
        // The same items with item 2 latest: item 2 was never followed, so popularity answers.
        let other = try #require(allScores(model, UserQuery(user: nil, history: [2, 0], weights: [1, 1], lastSeen: [60, 50])))
        #expect(other.prefix(3).allSatisfy { abs($0 - 1.0 / 3) < 1e-6 } && other[3] == 0)
    }

    @Test func weighsOlderItemsInTheWindowByDecay() throws {
        let model = try Markov.fit(try sequences(), parameters: MarkovParameters(smoothing: 1, window: 2, decay: 0.5))
        let latest = model.latestItems(of: UserQuery(user: nil, history: [0, 1, 2], weights: [1, 1, 1], lastSeen: [3, 1, 2]))
        #expect(latest.map(\.item) == [0, 2] && latest.map(\.weight) == [1, 0.5])
        // Without times every history item votes alike.
        #expect(model.latestItems(of: UserQuery(user: nil, history: [1, 2], weights: [1, 1])).map(\.weight) == [1, 1])
        #expect(allScores(model, UserQuery(user: nil, history: [], weights: [])) == nil)
        #expect(allScores(model, UserQuery(user: nil, history: [9], weights: [1])) == nil, "unknown items only")
    }

    @Test func similarItemsAreWhatPeopleTakeNext() throws {
        let model = try Markov.fit(try sequences())
        #expect(model.similarItems(to: 0, count: 2)?.map(\.item) == [1, 2])
        #expect(model.similarItems(to: 1, count: 1)?.map(\.item) == [2])
        #expect(model.similarItems(to: 0, count: 3, allowed: BitSet(count: 4, indices: [2, 3]))?.map(\.item) == [2, 3])
        #expect(model.similarItems(to: 7, count: 3) == [])
    }

    @Test func rejectsInvalidParameters() throws {
        let data = try sequences()
        for (parameters, name) in [
            (MarkovParameters(smoothing: 0), "smoothing"), (MarkovParameters(window: 0), "window"),
            (MarkovParameters(decay: 0), "decay"), (MarkovParameters(decay: 1.5), "decay"),
        ] {
            #expect {
                try Markov.fit(data, parameters: parameters)
            } throws: { error in
                guard case let ModelError.invalidParameter(kind, found, _, _) = error else { return false }
                return kind == .markov && found == name
            }
        }
    }
}
