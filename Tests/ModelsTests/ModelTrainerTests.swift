import Foundation
import LinearAlgebra
import Models
import Testing

struct ModelTrainerTests {
    // content needs documents and pairmf relations, not events (PairMFTests covers pairmf without relations).
    @Test(arguments: ModelKind.allCases.filter { $0 != .content && $0 != .pairmf })
    func rejectsEmptyTrainingData(kind: ModelKind) throws {
        let empty = try makeBinaryData(users: 3, items: 3, [])
        #expect(throws: ModelError.emptyTrainingData(kind: kind)) {
            try ModelTrainer.fit(kind, on: empty, parameters: ModelParameters(), seed: 1)
        }
    }

    @Test func rejectsInvalidParameters() throws {
        let data = try plantedData(users: 10, items: 10)
        var parameters = ModelParameters()
        parameters.als.factors = 0
        parameters.bpr.learningRate = -1
        parameters.itemKNN.neighbors = 0
        for kind in [ModelKind.als, .bpr, .itemknn] {
            #expect(throws: ModelError.self) { try ModelTrainer.fit(kind, on: data, parameters: parameters, seed: 1) }
        }
    }

    @Test func reportsDivergedTrainingAsNonFiniteFactors() throws {
        let data = try plantedData(users: 30, items: 20)
        var parameters = ModelParameters()
        parameters.bpr = BPRParameters(factors: 8, learningRate: 1e30, regularization: 1e30, epochs: 5, threads: 1)
        #expect(throws: ModelError.nonFiniteFactors(kind: .bpr)) {
            try ModelTrainer.fit(.bpr, on: data, parameters: parameters, seed: 1)
        }
    }

    @Test func decodesPartialParametersWithDefaults() throws {
        let json = #"{"als": {"alpha": 40, "confidence": "scaled"}, "itemKNN": {"weighting": "bm25"}}"#
        let parameters = try JSONDecoder().decode(ModelParameters.self, from: Data(json.utf8))
        #expect(parameters.als.alpha == 40 && parameters.als.confidence == .scaled)
        #expect(parameters.als.factors == 64 && parameters.als.iterations == 15 && parameters.als.cgSteps == 3)
        #expect(parameters.itemKNN.weighting == .bm25 && parameters.itemKNN.neighbors == 100)
        #expect(parameters.bpr == BPRParameters() && parameters.trending == TrendingParameters())
        let encoded = try JSONEncoder().encode(parameters)
        #expect(try JSONDecoder().decode(ModelParameters.self, from: encoded) == parameters)
    }
}
