import JSON
import Evaluation
import Testing

struct GridSearchTests {
    @Test func searchesAGridOnAValidationSplit() throws {
        let axes = [try GridAxis(parsing: "itemknn.K=1,3")]
        let options = EvaluationOptions(split: .leaveLastOut, ks: [2], models: [.pop, .itemknn], grid: axes)
        let report = try EvaluationRunner(options: options).run(on: SplitFixtures.leaveLastOut)
        let search = try #require(report.grid.first)
        #expect(report.grid.count == 1)
        #expect(search.model == "itemknn")
        #expect(search.metric == "ndcg@2")
        #expect(search.trials.map { $0.parameters.map(\.value) } == [[.integer(1)], [.integer(3)]])
        #expect(search.validation.testPairs == 1)  // user 9's b, carved from train
        let best = search.best.parameters[0].value
        #expect(report.models.first { $0.model == "itemknn" }?.parameters.map(\.value) == [best])
        #expect(report.json["grid"] != nil)
    }
}
