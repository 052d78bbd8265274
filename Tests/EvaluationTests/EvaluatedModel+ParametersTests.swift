import JSON
import Evaluation
import Models
import Testing

struct EvaluatedModelParametersTests {
    @Test func reportsModelParameters() throws {
        let parameters = ModelParameters.evaluation(factors: 32)
        #expect(EvaluatedModel.als.reportedParameters(parameters).map(\.name) == ["factors", "regularization", "alpha", "iterations"])
        #expect(EvaluatedModel.als.reportedParameters(parameters).map(\.value) == [.integer(32), .number(0.05), .integer(10), .integer(15)])
        #expect(EvaluatedModel.bpr.reportedParameters(parameters).map(\.value) == [.integer(32), .number(0.01), .number(0.01), .integer(100)])
        #expect(EvaluatedModel.itemknn.reportedParameters(parameters).map(\.value) == [.integer(100)])
        #expect(EvaluatedModel.trending.reportedParameters(parameters).map(\.value) == [.integer(604_800)])
        #expect(parameters.als.confidence == .scaled)
        #expect(EvaluatedModel.content.reportedParameters(parameters).map(\.name)
            == ["weighting", "half_life_s", "category_weight", "label_weight", "text_weight"])
        #expect(EvaluatedModel.content.reportedParameters(parameters).map(\.value)
            == [.string("tfidf"), .integer(2_592_000), .integer(1), .number(0.5), .number(0.5)])
        #expect(EvaluatedModel.ease.reportedParameters(parameters).map(\.name) == ["lambda", "max_items"])
        #expect(EvaluatedModel.ease.reportedParameters(parameters).map(\.value) == [.integer(500), .integer(30_000)])
        #expect(EvaluatedModel.svd.reportedParameters(parameters).map(\.name) == ["factors", "power_iterations", "oversamples"])
        #expect(EvaluatedModel.svd.reportedParameters(parameters).map(\.value) == [.integer(32), .integer(2), .integer(10)])
    }

    @Test func searchesEASEsLambdaAndCapAndSVDsFactors() throws {
        let lambda = try GridAxis(parsing: "ease.lambda=50,200.5")
        var parameters = ModelParameters()
        lambda.parameter.apply(lambda.values[1], to: &parameters)
        #expect(parameters.ease.regularization == 200.5)
        let cap = try GridAxis(parsing: "ease.max_items=1000")
        cap.parameter.apply(cap.values[0], to: &parameters)
        #expect(parameters.ease.maxItems == 1000)
        let factors = try GridAxis(parsing: "svd.factors=16,32")
        factors.parameter.apply(factors.values[0], to: &parameters)
        #expect(parameters.svd.factors == 16 && parameters.als.factors == 64)
        #expect(throws: EvaluationError.self) { try GridAxis(parsing: "ease.max_items=10.5") }
        #expect(throws: EvaluationError.self) { try GridAxis(parsing: "svd.alpha=1") }
    }
}
