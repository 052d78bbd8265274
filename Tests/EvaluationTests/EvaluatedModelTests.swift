import Evaluation
import Models
import Testing

struct EvaluatedModelTests {
    @Test func parsesModelLists() throws {
        #expect(try EvaluatedModel.parseList("pop, als,pop,popular") == [.pop, .als])
        #expect(EvaluatedModel.pop.kind == .popular)
        #expect(try EvaluatedModel.parseList("ease,svd").map(\.kind) == [.ease, .svd])
        #expect(throws: EvaluationError.self) { _ = try EvaluatedModel.parseList("pop,magic") }
    }

    @Test func knowsTheSamplingModelsAndWhichModelsDrawRandomNumbers() throws {
        #expect(try EvaluatedModel.parseList("random,softmax") == [.random, .softmax])
        #expect(EvaluatedModel.softmax.kind == .softmax && EvaluatedModel.random.kind == .random)
        #expect(EvaluatedModel.allCases.filter(\.isSeeded) == [.als, .bpr, .random, .softmax, .svd, .autoencoder, .sequence, .mlp],
                "svd draws a Gaussian sketch, the autoencoder its start, dropout and negatives, sequence and mlp their start, order and negatives")
        #expect(EvaluatedModel.allCases.filter(\.isIterative) == [.als, .bpr, .autoencoder, .sequence, .mlp])
        #expect(EvaluatedModel.softmax.tunableParameters.map(\.name) == ["tau", "K"])
        #expect(EvaluatedModel.random.tunableParameters.isEmpty)
    }
}
