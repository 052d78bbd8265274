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
}
