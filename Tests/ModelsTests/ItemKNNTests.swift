import Foundation
import LinearAlgebra
import Models
import TestSupport
import Testing

struct ItemKNNTests {
    /// u0: {0, 1}; u1: {0, 1, 2}; u2: {2, 3}. Cosines: (0,1) = 1, (0,2) = (1,2) = 1/2, (2,3) = 1/√2, others 0.
    private func tinyData() throws -> TrainingData {
        try makeBinaryData(users: 3, items: 4, [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3)])
    }

    @Test func keepsTopRowsIncludingItselfAndScoresHistorySums() throws {
        let model = try ItemKNN.fit(try tinyData(), parameters: ItemKNNParameters(neighbors: 2))
        let half = Float(0.5).squareRoot()
        // Row 0 keeps itself and item 1 (both cosine 1); row 2 keeps itself and item 3.
        #expect(Set(model.neighborItems[model.neighborOffsets[0]..<model.neighborOffsets[1]]) == [0, 1])
        #expect(Array(model.neighborItems[model.neighborOffsets[2]..<model.neighborOffsets[3]]) == [2, 3])

        let fromItemZero = recommend(model, for: UserQuery(user: 0, history: [0], weights: [1]), count: 10)
        #expect(fromItemZero.map(\.item) == [1])  // items 2 and 3 are unreachable: no back-fill
        #expect(isClose(Double(fromItemZero[0].score), 1))

        let weighted = UserQuery(user: nil, history: [0, 2], weights: [1, 2])
        let scores = try #require(allScores(model, weighted))
        #expect(isClose(Double(scores[0]), 1) && isClose(Double(scores[1]), 1))
        #expect(isClose(Double(scores[2]), 2) && isClose(Double(scores[3]), Double(2 * half)))
        #expect(recommend(model, for: weighted, count: 10).map(\.item) == [3, 1])
    }

    @Test func similarItemsNeverReturnsItselfAndEmptyHistoryIsUnanswered() throws {
        let model = try ItemKNN.fit(try tinyData(), parameters: ItemKNNParameters(neighbors: 3))
        let similar = try #require(model.similarItems(to: 2, count: 5))
        #expect(similar.map(\.item) == [3, 0])  // 1/√2, then 1/2 (tie 0 vs 1 → smaller index)
        #expect(model.similarItems(to: 9, count: 5) == [])
        #expect(allScores(model, UserQuery(user: 0, history: [], weights: [])) == nil)
        #expect(recommend(model, for: UserQuery(user: 0, history: [], weights: []), count: 3).isEmpty)
    }

    @Test(arguments: ItemKNNParameters.Weighting.allCases)
    func neighboursMatchBruteForceSimilarity(weighting: ItemKNNParameters.Weighting) throws {
        let users = 40, items = 25, keep = 6
        var generator = Xoshiro256StarStar(seed: 11)
        var entries = [(user: Int32, item: Int32, weight: Float, time: Double)]()
        var dense = [[Double]](repeating: [Double](repeating: 0, count: items), count: users)
        for user in 0..<users {
            for item in 0..<items where generator.nextIndex(below: 10) < 3 {
                let weight = Float(1 + generator.nextIndex(below: 5))
                entries.append((Int32(user), Int32(item), weight, 0))
                dense[user][item] = Double(weight)
            }
        }
        let data = try makeData(users: users, items: items, entries)
        let model = try ItemKNN.fit(data, parameters: ItemKNNParameters(neighbors: keep, weighting: weighting))
        let weighted = bruteForceWeights(dense, weighting: weighting)
        for item in 0..<items {
            var similarities = [(Int, Double)]()
            for other in 0..<items {
                let dot = (0..<users).reduce(0.0) { $0 + weighted[$1][item] * weighted[$1][other] }
                if dot != 0 { similarities.append((other, dot)) }
            }
            let expected = similarities.map(\.1).sorted(by: >).prefix(keep)
            let range = model.neighborOffsets[item]..<model.neighborOffsets[item + 1]
            #expect(range.count == expected.count)
            for (kept, reference) in zip(model.neighborScores[range], expected) {
                #expect(isClose(Double(kept), reference, relativeTolerance: 1e-4))
            }
            for entry in range {
                let pair = try #require(similarities.first { $0.0 == Int(model.neighborItems[entry]) })
                #expect(isClose(Double(model.neighborScores[entry]), pair.1, relativeTolerance: 1e-4))
            }
        }
    }

    /// The weighting of `ItemKNNParameters.Weighting`, written independently in float64 on a dense matrix.
    private func bruteForceWeights(_ dense: [[Double]], weighting: ItemKNNParameters.Weighting) -> [[Double]] {
        let users = dense.count, items = dense[0].count
        var weighted = dense
        let idf = dense.map { row in log(Double(items) / Double(1 + row.filter { $0 != 0 }.count)) }
        switch weighting {
        case .cosine:
            break
        case .tfidf:
            for user in 0..<users {
                for item in 0..<items { weighted[user][item] = dense[user][item].squareRoot() * idf[user] }
            }
        case .bm25:
            let sums = (0..<items).map { item in (0..<users).reduce(0.0) { $0 + dense[$1][item] } }
            let average = sums.reduce(0, +) / Double(items)
            for user in 0..<users {
                for item in 0..<items where dense[user][item] != 0 {
                    let value = dense[user][item]
                    let norm = 0.25 + 0.75 * sums[item] / average
                    weighted[user][item] = value * 2.2 / (1.2 * norm + value) * idf[user]
                }
            }
        }
        if weighting != .bm25 {
            for item in 0..<items {
                let norm = (0..<users).reduce(0.0) { $0 + weighted[$1][item] * weighted[$1][item] }.squareRoot()
                for user in 0..<users where norm > 0 { weighted[user][item] /= norm }
            }
        }
        return weighted
    }

    @Test(.enabled(if: MovieLens.path != nil, Comment(rawValue: MovieLensFiles.skipMessage("events.csv"))))
    func keepsAtMostHundredNeighboursPerMovieLensItem() throws {
        let data = try MovieLens.load()
        let model = try ItemKNN.fit(data)
        #expect(model.itemCount == data.interactions.columnCount)
        for item in stride(from: 0, to: model.itemCount, by: 97) {
            let range = model.neighborOffsets[item]..<model.neighborOffsets[item + 1]
            #expect(range.count <= 100 && !range.isEmpty)
            #expect(model.neighborScores[range].max().map { isClose(Double($0), 1, relativeTolerance: 1e-4) } == true)
        }
    }
}
