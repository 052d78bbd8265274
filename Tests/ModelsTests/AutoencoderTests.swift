import LinearAlgebra
@testable import Models
import NeuralLayers
import Testing

struct AutoencoderTests {
    private static let small = AutoencoderParameters(hidden: 16, epochs: 40, batchSize: 16, learningRate: 0.01, dropout: 0.3)

    @Test func ranksPlantedGroupsAboveNoise() throws {
        let data = try plantedData()
        let model = try Autoencoder.fit(data, parameters: Self.small, seed: 1)
        #expect(trainingAUC(model, data) > 0.9)
    }

    @Test(arguments: [CandidateSampler.Distribution.uniform, .popularity])
    func learnsTheGroupsFromSampledNegativesToo(_ sampling: CandidateSampler.Distribution) throws {
        let data = try plantedData()
        var parameters = Self.small
        parameters.fullSoftmaxItems = 0
        parameters.negatives = 10
        parameters.sampling = sampling
        let model = try Autoencoder.fit(data, parameters: parameters, seed: 1)
        #expect(trainingAUC(model, data) > 0.85)
    }

    @Test func foldsInAnUnseenUserByAForwardPass() throws {
        let data = try plantedData(groups: 4)
        let model = try Autoencoder.fit(data, parameters: Self.small, seed: 2)
        // A newcomer with three items of group 1 gets group 1's other items first.
        let scores = try #require(allScores(model, UserQuery(user: nil, history: [1, 5, 9], weights: [1, 1, 1])))
        let top = recommend(model, for: UserQuery(user: nil, history: [1, 5, 9], weights: [1, 1, 1]), count: 5)
        #expect(top.count == 5 && top.allSatisfy { $0.item % 4 == 1 }, "\(top)")
        #expect(scores.count == data.interactions.columnCount)
        // A trained user's query reads only the history: the same items answer the same.
        let known = try #require(allScores(model, UserQuery(user: 3, history: [1, 5, 9], weights: [1, 1, 1])))
        #expect(known == scores)
        #expect(allScores(model, UserQuery(user: nil, history: [], weights: [])) == nil)
        #expect(!model.foldsInUsers)
    }

    @Test func theSameSeedGivesTheSameModelOnAnyNumberOfWorkers() throws {
        let data = try plantedData(users: 60, items: 40)
        var one = Self.small, two = Self.small
        one.epochs = 3
        two.epochs = 3
        one.threads = 1
        two.threads = 2
        let first = try Autoencoder.fit(data, parameters: one, seed: 9)
        let second = try Autoencoder.fit(data, parameters: two, seed: 9)
        #expect(first.itemFactors == second.itemFactors && first.inputWeights == second.inputWeights)
        let other = try Autoencoder.fit(data, parameters: one, seed: 10)
        #expect(other.itemFactors != first.itemFactors)
    }

    @Test func secondLayerAndSimilarItems() throws {
        let data = try plantedData()
        var parameters = Self.small
        parameters.secondHidden = 8
        let model = try Autoencoder.fit(data, parameters: parameters, seed: 3)
        #expect(model.secondLayer?.weights.columnCount == 8 && model.codeWidth == 8)
        let similar = try #require(model.similarItems(to: 2, count: 5))
        #expect(similar.count == 5 && !similar.contains { $0.item == 2 })
        #expect(similar.filter { $0.item % 4 == 2 }.count >= 4, "\(similar)")
    }

    @Test func reportsEveryEpochAndStopsWhenCancelled() throws {
        let data = try plantedData(users: 40, items: 30)
        var parameters = Self.small
        parameters.epochs = 4
        try expectEpochReportsAndCancellation(.autoencoder, epochs: 4) { cancellation, observer throws(ModelError) in
            _ = try Autoencoder.fit(data, parameters: parameters, seed: 1, cancellation: cancellation, observer: observer)
        }
    }

    @Test func rejectsInvalidParameters() throws {
        let data = try plantedData(users: 10, items: 10)
        for (parameters, name) in [
            (AutoencoderParameters(hidden: 0), "hidden"), (AutoencoderParameters(epochs: 0), "epochs"),
            (AutoencoderParameters(dropout: 1), "dropout"), (AutoencoderParameters(learningRate: 0), "learningRate"),
            (AutoencoderParameters(negatives: 0), "negatives"), (AutoencoderParameters(batchSize: 0), "batchSize"),
        ] {
            #expect {
                try Autoencoder.fit(data, parameters: parameters, seed: 1)
            } throws: { error in
                guard case let ModelError.invalidParameter(kind, found, _, _) = error else { return false }
                return kind == .autoencoder && found == name
            }
        }
    }
}
