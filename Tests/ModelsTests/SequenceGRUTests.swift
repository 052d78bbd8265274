import LinearAlgebra
@testable import Models
import Testing

struct SequenceGRUTests {
    private static let small = SequenceParameters(hidden: 16, epochs: 30, batchSize: 16, window: 5, learningRate: 0.02,
                                                  negatives: 5)

    /// 20 items on one planted cycle (a seeded permutation); each of `users` users walks `steps` items of it from a
    /// random start, one item per second. Returns the data and each item's successor.
    private func walks(users: Int = 150, steps: Int = 6, seed: UInt64 = 7) throws -> (TrainingData, [Int32]) {
        let items = 20
        var generator = Xoshiro256StarStar(seed: seed)
        var cycle = Array(Int32(0)..<Int32(items))
        for index in stride(from: items - 1, to: 0, by: -1) { cycle.swapAt(index, generator.nextIndex(below: index + 1)) }
        var successor = [Int32](repeating: 0, count: items)
        for (position, item) in cycle.enumerated() { successor[Int(item)] = cycle[(position + 1) % items] }
        var entries: [(user: Int32, item: Int32, weight: Float, time: Double)] = []
        for user in 0..<users {
            var item = Int32(generator.nextIndex(below: items))
            for step in 0..<steps {
                entries.append((Int32(user), item, 1, Double(user * 100 + step)))
                item = successor[Int(item)]
            }
        }
        return (try makeData(users: users, items: items, entries), successor)
    }

    @Test func learnsPlantedTransitionsInTimeOrder() throws {
        let (data, successor) = try walks()
        let model = try SequenceGRU.fit(data, parameters: Self.small, seed: 1)
        var correct = 0
        for item in Int32(0)..<20 {
            let query = UserQuery(user: nil, history: [item], weights: [1])
            if recommend(model, for: query, count: 1).first?.item == successor[Int(item)] { correct += 1 }
        }
        #expect(correct >= 18, "\(correct) of 20 next items ranked first")
        // The same two items in the other time order: the best score (seen items included) follows the latest one.
        let first = Int32(3), second = successor[3]
        func best(_ lastSeen: [Double]) throws -> Int? {
            let scores = try #require(allScores(model, UserQuery(user: nil, history: [first, second], weights: [1, 1],
                                                                 lastSeen: lastSeen)))
            return scores.indices.max { scores[$0] < scores[$1] }
        }
        #expect(try best([10, 20]) == Int(successor[Int(second)]))
        #expect(try best([20, 10]) == Int(second), "after 3, its successor, even though the user has it")
        #expect(model.similarItems(to: first, count: 1)?.first?.item == second, "similar items are what comes next")
    }

    @Test func readsOnlyTheLatestWindowOfKnownItems() throws {
        let (data, _) = try walks(users: 20)
        var parameters = Self.small
        parameters.epochs = 1
        let model = try SequenceGRU.fit(data, parameters: parameters, seed: 1)
        let query = UserQuery(user: nil, history: [0, 1, 2, 3, 4, 5, 99], weights: [1, 1, 1, 1, 1, 1, 1],
                              lastSeen: [6, 5, 4, 3, 2, 1, 7])
        #expect(model.latestItems(of: query) == [4, 3, 2, 1, 0], "the latest 5 known items, earliest first")
        #expect(allScores(model, UserQuery(user: nil, history: [], weights: [])) == nil)
        #expect(allScores(model, UserQuery(user: nil, history: [99], weights: [1])) == nil, "unknown items only")
        #expect(model.similarItems(to: 99, count: 3) == [])
        #expect(!model.foldsInUsers, "a forward pass on any history needs no fold-in")
    }

    @Test func theSameSeedGivesTheSameModelOnAnyNumberOfWorkers() throws {
        let (data, _) = try walks(users: 60)
        var one = Self.small, two = Self.small
        one.epochs = 2
        two.epochs = 2
        one.threads = 1
        two.threads = 2
        let first = try SequenceGRU.fit(data, parameters: one, seed: 9)
        let second = try SequenceGRU.fit(data, parameters: two, seed: 9)
        #expect(first.itemFactors == second.itemFactors && first.cell == second.cell)
        #expect(first.projectionWeights == second.projectionWeights)
        let other = try SequenceGRU.fit(data, parameters: one, seed: 10)
        #expect(other.itemFactors != first.itemFactors)
    }

    @Test func reportsEveryEpochAndStopsWhenCancelled() throws {
        let (data, _) = try walks(users: 30)
        var parameters = Self.small
        parameters.epochs = 3
        try expectEpochReportsAndCancellation(.sequence, epochs: 3) { cancellation, observer throws(ModelError) in
            _ = try SequenceGRU.fit(data, parameters: parameters, seed: 1, cancellation: cancellation, observer: observer)
        }
    }

    @Test func needsSomeUserWithTwoItems() throws {
        let data = try makeData(users: 2, items: 3, [(0, 1, 1, 5), (1, 2, 1, 6)])
        #expect {
            try SequenceGRU.fit(data, parameters: Self.small, seed: 1)
        } throws: { error in
            guard case ModelError.invalidTrainingData(.sequence, _) = error else { return false }
            return true
        }
    }

    @Test func rejectsInvalidParameters() throws {
        let (data, _) = try walks(users: 10)
        for (parameters, name) in [
            (SequenceParameters(hidden: 0), "hidden"), (SequenceParameters(epochs: 0), "epochs"),
            (SequenceParameters(batchSize: 0), "batchSize"), (SequenceParameters(window: 0), "window"),
            (SequenceParameters(learningRate: 0), "learningRate"), (SequenceParameters(negatives: -1), "negatives"),
            (SequenceParameters(threads: -1), "threads"),
        ] {
            #expect {
                try SequenceGRU.fit(data, parameters: parameters, seed: 1)
            } throws: { error in
                guard case let ModelError.invalidParameter(kind, found, _, _) = error else { return false }
                return kind == .sequence && found == name
            }
        }
    }
}
