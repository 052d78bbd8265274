import LinearAlgebra
import Models
import Testing

struct RecommendTests {
    private func fitAll(seed: UInt64) throws -> [any Recommender] {
        let data = withRelations(try plantedData())
        var parameters = ModelParameters.evaluation(factors: 8)
        parameters.als.iterations = 5
        parameters.bpr.epochs = 10
        parameters.bpr.threads = 1
        parameters.pairMF.threads = 1
        parameters.pairMF.epochs = 5
        return try ModelKind.allCases.map { kind throws(ModelError) in
            try ModelTrainer.fit(kind, on: data, parameters: parameters, seed: seed)
        }
    }

    @Test func batchMatchesOneByOneForEveryModel() throws {
        let data = try plantedData()
        // Known users, an unknown user with history, a user nobody can answer without history.
        var queries = (0..<data.interactions.rowCount).map { trainingQuery(data, user: $0) }
        queries.append(UserQuery(user: nil, history: [1, 5, 9], weights: [1, 1, 1]))
        queries.append(UserQuery(user: 10_000, history: [], weights: []))
        let excluded = queries.indices.map { $0 % 3 == 0 ? [Int32(2), 6] : [] }
        for model in try fitAll(seed: 1) {
            let batch = recommendBatch(model, for: queries, count: 12, excluding: excluded)
            for (index, query) in queries.enumerated() {
                let single = recommend(model, for: query, count: 12, excluding: excluded[index])
                // Same items in the same order; scores agree to rounding (sgemm and sgemv may sum differently).
                #expect(batch[index].map(\.item) == single.map(\.item), "\(model.kind) differs for query \(index)")
                for (a, b) in zip(batch[index], single) {
                    #expect(isClose(Double(a.score), Double(b.score), relativeTolerance: 1e-5))
                }
            }
        }
    }

    @Test func neverReturnsHistoryOrExcludedItems() throws {
        let data = try plantedData()
        for model in try fitAll(seed: 1) {
            for user in 0..<10 {
                let query = trainingQuery(data, user: user)
                let list = recommend(model, for: query, count: 20, excluding: [0, 1])
                #expect(list.count <= 20)
                #expect(list.allSatisfy { !query.history.contains($0.item) && $0.item > 1 })
                #expect(zip(list, list.dropFirst()).allSatisfy { $0.score > $1.score || ($0.score == $1.score && $0.item < $1.item) })
            }
        }
    }

    @Test func sameSeedGivesSameRecommendations() throws {
        let data = try plantedData()
        let queries = (0..<data.interactions.rowCount).map { trainingQuery(data, user: $0) }
        let first = try fitAll(seed: 3), second = try fitAll(seed: 3)
        for (a, b) in zip(first, second) {
            #expect(recommendBatch(a, for: queries, count: 10) == recommendBatch(b, for: queries, count: 10))
        }
    }
}
