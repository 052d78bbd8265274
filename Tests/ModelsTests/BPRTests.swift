import LinearAlgebra
import Models
import Testing

struct BPRTests {
    private func parameters(threads: Int) -> BPRParameters {
        BPRParameters(factors: 16, learningRate: 0.05, regularization: 0.01, epochs: 60, threads: threads)
    }

    @Test(arguments: [1, 2])
    func learnsPlantedStructure(threads: Int) throws {
        let data = try plantedData()
        let model = try BPR.fit(data, parameters: parameters(threads: threads), seed: 1)
        let auc = trainingAUC(model, data)
        #expect(auc > 0.9, "training AUC \(auc)")
        #expect(model.userFactors.withRow(0) { $0.last } == 1)  // the bias column of users stays 1
    }

    @Test func singleThreadTrainingIsReproducible() throws {
        let data = try plantedData()
        let first = try BPR.fit(data, parameters: parameters(threads: 1), seed: 7)
        let second = try BPR.fit(data, parameters: parameters(threads: 1), seed: 7)
        #expect(first.userFactors == second.userFactors && first.itemFactors == second.itemFactors)
        let other = try BPR.fit(data, parameters: parameters(threads: 1), seed: 8)
        #expect(other.itemFactors != first.itemFactors)
    }

    @Test func unknownUsersWithoutKnownItemsAreUnansweredAndItemsWithoutPairsStayZero() throws {
        // Item 3 has no pairs, user 2 has none.
        let data = try makeBinaryData(users: 3, items: 4, [(0, 0), (0, 1), (1, 1), (1, 2)])
        let model = try BPR.fit(data, parameters: BPRParameters(factors: 8, epochs: 5, threads: 1), seed: 3)
        #expect(model.itemFactors.withRow(3) { $0.allSatisfy { $0 == 0 } })
        #expect(model.userFactors.withRow(2) { Array($0.dropLast()).allSatisfy { $0 == 0 } && $0.last == 1 })
        #expect(allScores(model, UserQuery(user: nil, history: [7], weights: [1])) == nil)
        #expect(allScores(model, UserQuery(user: 3, history: [], weights: [])) == nil)
        let similar = try #require(model.similarItems(to: 0, count: 10))
        #expect(!similar.contains { $0.item == 0 || $0.item == 3 })
    }

    @Test func foldsUnknownUsersInByTheMeanOfTheirItemsFactors() throws {
        let data = try plantedData()
        let model = try BPR.fit(data, parameters: parameters(threads: 1), seed: 1)
        let history: [Int32] = [0, 4, 8]
        let scores = try #require(allScores(model, UserQuery(user: nil, history: history + [99], weights: [1, 1, 1, 1])))
        // By hand: u = mean of the items' first 16 columns, then 1 against the bias column.
        var user = [Float](repeating: 0, count: 17)
        for item in history {
            model.itemFactors.withRow(Int(item)) { row in for column in 0..<16 { user[column] += row[column] / 3 } }
        }
        user[16] = 1
        for item in 0..<model.itemCount {
            let expected = model.itemFactors.withRow(item) { row in zip(user, row).map { Double($0 * $1) }.reduce(0, +) }
            #expect(isClose(Double(scores[item]), expected, relativeTolerance: 1e-4), "item \(item)")
        }
        // A known user keeps the trained row, whatever the history.
        #expect(allScores(model, UserQuery(user: 5, history: history, weights: [1, 1, 1])) == allScores(model, trainingQuery(data, user: 5)))
        // The folded-in user prefers the planted group of its items (group 0: items 0, 4, 8, …).
        let ranked = recommend(model, for: UserQuery(user: nil, history: history, weights: [1, 1, 1]), count: 5)
        #expect(ranked.filter { $0.item % 4 == 0 }.count >= 4, "\(ranked)")
    }
}
