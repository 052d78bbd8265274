import Evaluation
import Foundation
import Models
import Testing

struct EvaluationRunnerTests {
    @Test func scoresPopularityOnATinySplit() throws {
        // Train: 10:d | 9:a,b | w:c | x:b | y:a → counts a 2, b 2, c 1, d 1.
        // User "10" (test a) gets [a, b, c]; user "9" (test c) gets [c, d]: both hit at rank 1.
        let options = EvaluationOptions(split: .leaveLastOut, ks: [3, 1], models: [.pop])
        let report = try EvaluationRunner(options: options).run(on: SplitFixtures.leaveLastOut)
        #expect(report.ks == [1, 3])
        let result = try #require(report.models.first)
        #expect(result.model == "pop")
        #expect(result.parameters.isEmpty)
        let atOne = try #require(result.metrics(atK: 1)), atThree = try #require(result.metrics(atK: 3))
        #expect(atOne == MetricsAtK(k: 1, recall: 1, precision: 1, hitRate: 1, ndcg: 1, map: 1, coverage: 0.5,
                                    users: 2, shortLists: 0))
        #expect(atThree.recall == 1 && atThree.ndcg == 1 && atThree.map == 1)
        #expect(abs(atThree.precision - 1.0 / 3) < 1e-12)
        #expect(atThree.coverage == 1)
        #expect(atThree.shortLists == 1)  // user "9" has only c and d left
        #expect(result.fitSeconds >= 0 && result.recommendSeconds >= 0)
    }

    @Test func writesTheDumpWhenAsked() throws {
        let directory = try TemporaryDirectory()
        let options = EvaluationOptions(split: .leaveLastOut, models: [.pop])
        _ = try EvaluationRunner(options: options).run(on: SplitFixtures.leaveLastOut, dumpDirectory: directory.path)
        #expect(try directory.read("test.csv") == "user,item,timestamp\n10,a,3\n9,c,5\n")
    }

    @Test func refusesASplitWithoutTestUsers() {
        let options = EvaluationOptions(split: .temporal(percent: 25), models: [.pop])
        #expect(throws: EvaluationError.self) {
            _ = try EvaluationRunner(options: options).run(on: SplitFixtures.temporal)
        }
    }
}
