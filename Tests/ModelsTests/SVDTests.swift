import LinearAlgebra
@testable import Models
import Testing

struct SVDTests {
    /// A rank-2 binary matrix: users 0–5 take items 0–3, users 6–11 items 4–7 (two blocks).
    private func blockData() throws -> TrainingData {
        var pairs: [(Int32, Int32)] = []
        for user in 0..<12 {
            for item in 0..<4 { pairs.append((Int32(user), Int32(user < 6 ? item : item + 4))) }
        }
        return try makeBinaryData(users: 12, items: 8, pairs)
    }

    @Test func reconstructsTheInteractionsOfALowRankMatrix() throws {
        // Each block is a 6×4 all-ones matrix: singular value √24, and U·Σ·Vᵀ gives X back exactly.
        let data = try blockData()
        let model = try SVD.fit(data, parameters: SVDParameters(factors: 2), seed: 1)
        #expect(model.factors == 2)
        for value in model.singularValues { #expect(isClose(Double(value), 24.0.squareRoot(), relativeTolerance: 1e-4)) }
        for user in 0..<12 {
            let scores = try #require(allScores(model, UserQuery(user: Int32(user), history: [], weights: [])))
            for item in 0..<8 {
                let expected: Float = (user < 6) == (item < 4) ? 1 : 0
                #expect(abs(scores[item] - expected) < 1e-4, "user \(user) item \(item)")
            }
        }
    }

    @Test func foldsInAHistoryByProjectingIt() throws {
        let data = try blockData()
        let model = try SVD.fit(data, parameters: SVDParameters(factors: 2), seed: 1)
        #expect(model.foldsInUsers)
        // A training user's own row projects onto their trained factor: x·V·Σ⁻¹ = U_u when X = U·Σ·Vᵀ.
        let query = trainingQuery(data, user: 3)
        let projected = try #require(model.foldIn(history: query.history, weights: query.weights))
        model.userFactors.withRow(3) { row in
            for (found, trained) in zip(projected, row) { #expect(abs(found - trained) < 1e-4) }
        }
        // An unseen user with half of block two's items is recommended the rest of block two.
        let unseen = UserQuery(user: nil, history: [4, 5], weights: [1, 1])
        #expect(Set(recommend(model, for: unseen, count: 2).map(\.item)) == [6, 7])
        #expect(model.foldIn(history: [99], weights: [1]) == nil)
        #expect(allScores(model, UserQuery(user: nil, history: [], weights: [])) == nil)
    }

    @Test func findsSimilarItemsByCosineOfItemFactors() throws {
        let model = try SVD.fit(try blockData(), parameters: SVDParameters(factors: 2), seed: 1)
        let similar = try #require(model.similarItems(to: 1, count: 7))
        #expect(Set(similar.prefix(3).map(\.item)) == [0, 2, 3])
        for entry in similar.prefix(3) { #expect(isClose(Double(entry.score), 1, relativeTolerance: 1e-4)) }
        for entry in similar.dropFirst(3) { #expect(abs(entry.score) < 1e-3) }
    }

    @Test func isReproducibleForASeed() throws {
        let data = try plantedData()
        let first = try SVD.fit(data, parameters: SVDParameters(factors: 6), seed: 4)
        let second = try SVD.fit(data, parameters: SVDParameters(factors: 6), seed: 4)
        #expect(first.userFactors == second.userFactors && first.itemFactors == second.itemFactors)
        #expect(trainingAUC(first, data) > 0.9)
    }

    @Test(arguments: [
        (SVDParameters(factors: 0), "factors"), (SVDParameters(powerIterations: -1), "powerIterations"),
        (SVDParameters(oversamples: -2), "oversamples"),
    ])
    func rejectsInvalidParameters(parameters: SVDParameters, name: String) throws {
        do {
            _ = try SVD.fit(try blockData(), parameters: parameters, seed: 1)
            Issue.record("fitted with \(parameters)")
        } catch let error as ModelError {
            guard case let .invalidParameter(kind, found, _, _) = error else { throw error }
            #expect(kind == .svd && found == name)
        }
    }

    @Test func stopsWhenCancelled() throws {
        let cancellation = TrainingCancellation()
        cancellation.cancel()
        #expect(throws: ModelError.cancelled(kind: .svd)) {
            try SVD.fit(try blockData(), seed: 1, cancellation: cancellation)
        }
    }
}
