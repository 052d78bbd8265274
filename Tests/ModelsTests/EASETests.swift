import LinearAlgebra
@testable import Models
import Testing

struct EASETests {
    /// X, 4 users × 3 items: u0 {0, 1}, u1 {0, 1, 2}, u2 {1, 2}, u3 {0}.
    private func handData() throws -> TrainingData {
        try makeBinaryData(users: 4, items: 3, [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (3, 0)])
    }

    @Test func fitsTheHandComputedWeights() throws {
        // XᵀX = [[3, 2, 1], [2, 3, 2], [1, 2, 2]] (users per item on the diagonal, co-occurrences off it);
        // with λ = 1, G = [[4, 2, 1], [2, 4, 2], [1, 2, 3]], det G = 4·8 − 2·4 + 1·0 = 24, and
        // P = G⁻¹ = adj(G)/24 = [[8, −4, 0], [−4, 11, −6], [0, −6, 12]] / 24.
        // B[i, j] = −P[i, j] / P[j, j] off the diagonal, 0 on it:
        // B = [[0, 4/11, 0], [1/2, 0, 1/2], [0, 6/11, 0]].
        let model = try EASE.fit(try handData(), parameters: EASEParameters(regularization: 1))
        let expected: [Float] = [0, 4.0 / 11, 0, 0.5, 0, 0.5, 0, 6.0 / 11, 0]
        #expect(model.coveredItems == [0, 1, 2] && model.rankedItemCount == 3)
        for (found, wanted) in zip(model.weights.storage, expected) {
            #expect(isClose(Double(found), Double(wanted), relativeTolerance: 1e-5), "\(model.weights.storage)")
        }
        // u0's row {0, 1} scores B[0, ·] + B[1, ·] = [1/2, 4/11, 1/2]; u3 ({0}) is recommended item 1 first.
        let scores = try #require(allScores(model, UserQuery(user: 0, history: [0, 1], weights: [1, 1])))
        #expect(isClose(Double(scores[0]), 0.5) && isClose(Double(scores[1]), 4.0 / 11) && isClose(Double(scores[2]), 0.5))
        #expect(recommend(model, for: trainingQuery(try handData(), user: 3), count: 2).map(\.item) == [1, 2])
    }

    @Test func scoresAHistoryOfAUserItNeverSaw() throws {
        let model = try EASE.fit(try handData(), parameters: EASEParameters(regularization: 1))
        // Users 2 and an unknown one with u2's items score alike: EASE reads only the history.
        let known = try #require(allScores(model, UserQuery(user: 2, history: [1, 2], weights: [1, 1])))
        let unseen = try #require(allScores(model, UserQuery(user: nil, history: [1, 2], weights: [1, 1])))
        #expect(known == unseen)
        #expect(isClose(Double(unseen[0]), 0.5 + 0))  // B[1, 0] + B[2, 0]
        #expect(allScores(model, UserQuery(user: nil, history: [], weights: [])) == nil)
        #expect(!model.foldsInUsers)
    }

    @Test func coversOnlyTheMostInteractedItemsUnderTheCap() throws {
        // Items 0 and 1 have 3 users each, item 2 has 2: with max_items 2, G = [[4, 2], [2, 4]] (λ = 1),
        // P = [[4, −2], [−2, 4]] / 12, B = [[0, 1/2], [1/2, 0]]; item 2 is never ranked.
        let model = try EASE.fit(try handData(), parameters: EASEParameters(regularization: 1, maxItems: 2))
        #expect(model.coveredItems == [0, 1] && model.rankedItemCount == 2 && model.itemCount == 3)
        let scores = try #require(allScores(model, UserQuery(user: nil, history: [0], weights: [1])))
        #expect(isClose(Double(scores[1]), 0.5) && scores[2] == -.infinity)
        #expect(allScores(model, UserQuery(user: nil, history: [2], weights: [1])) == nil)
        #expect(model.similarItems(to: 2, count: 3) == [])
    }

    @Test func findsSimilarItemsByCosineOfTheirColumns() throws {
        // Columns of B: item 0 → (0, 1/2, 0), item 1 → (4/11, 0, 6/11), item 2 → (0, 1/2, 0).
        let model = try EASE.fit(try handData(), parameters: EASEParameters(regularization: 1))
        let similar = try #require(model.similarItems(to: 0, count: 5))
        #expect(similar.map(\.item) == [2, 1])
        #expect(isClose(Double(similar[0].score), 1) && isClose(Double(similar[1].score), 0))
        #expect(model.similarItems(to: 0, count: 5, allowed: BitSet(count: 3, indices: [1])).map { $0.map(\.item) } == [1])
    }

    @Test func ranksPlantedGroupsAboveNoise() throws {
        let data = try plantedData()
        let model = try EASE.fit(data, parameters: EASEParameters(regularization: 10))
        #expect(trainingAUC(model, data) > 0.9)
    }

    @Test(arguments: [
        (EASEParameters(regularization: 0), "regularization"), (EASEParameters(regularization: .nan), "regularization"),
        (EASEParameters(regularization: -3), "regularization"), (EASEParameters(maxItems: 0), "maxItems"),
    ])
    func rejectsInvalidParameters(parameters: EASEParameters, name: String) throws {
        do {
            _ = try EASE.fit(try handData(), parameters: parameters)
            Issue.record("fitted with \(parameters)")
        } catch let error as ModelError {
            guard case let .invalidParameter(kind, found, _, _) = error else { throw error }
            #expect(kind == .ease && found == name)
        }
    }

    @Test func stopsWhenCancelled() throws {
        let cancellation = TrainingCancellation()
        cancellation.cancel()
        #expect(throws: ModelError.cancelled(kind: .ease)) {
            try EASE.fit(try plantedData(), cancellation: cancellation)
        }
    }
}
