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
    }
}
