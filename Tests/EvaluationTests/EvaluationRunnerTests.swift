import Evaluation
import EventFormats
import Foundation
import Models
import SyntheticData
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

    @Test func evaluatesContentWithRecordsAlignedToTheCatalogue() throws {
        // Catalogue a, b, c, d. User "10" (train d, test a) gets a then c (both share x with d: ties by id);
        // user "9" (train a, b, test c) gets c then d (both share x with a).
        let records = ItemRecords(documents: [
            ExactID("a"): ItemDocument(categories: ["x"]), ExactID("b"): ItemDocument(categories: ["y"]),
            ExactID("c"): ItemDocument(categories: ["x"]), ExactID("d"): ItemDocument(categories: ["x"]),
            ExactID("z"): ItemDocument(categories: ["x"]),  // not in the catalogue: ignored
        ])
        let options = EvaluationOptions(split: .leaveLastOut, ks: [1], models: [.content])
        let report = try EvaluationRunner(options: options).run(on: SplitFixtures.leaveLastOut, items: records)
        let result = try #require(report.models.first)
        #expect(result.model == "content")
        #expect(result.metrics(atK: 1)?.ndcg == 1)
        #expect(result.parameters.map(\.name).contains("half_life_s"))
    }

    @Test func contentNeedsItemRecords() {
        let options = EvaluationOptions(split: .leaveLastOut, models: [.pop, .content])
        #expect {
            _ = try EvaluationRunner(options: options).run(on: SplitFixtures.leaveLastOut)
        } throws: { error in
            "\(error)".contains("content needs item records")
        }
    }

    /// The catalogue's tastes are planted by category, so content must find them: at least 1.5 × popularity.
    @Test func contentBeatsPopularityOnAPlantedCatalogue() throws {
        let catalogue = SyntheticCatalogue(userCount: 4000, itemCount: 1000, eventCount: 100_000, seed: 1)
        let directory = try TemporaryDirectory()
        let path = try directory.write("items.jsonl", catalogue.items().map(\.jsonLine).joined())
        let interactions = InteractionSet(rows: catalogue.events().map { event in
            EventRow(user: "u\(event.user)", item: "i\(event.item)", timestamp: event.timestamp, line: 0)
        })
        let options = EvaluationOptions(split: .leaveLastOut, ks: [10], models: [.pop, .content])
        let report = try EvaluationRunner(options: options).run(on: interactions, items: try ItemRecords.load(path: path))
        let pop = try #require(report.models.first { $0.model == "pop" }?.metrics(atK: 10))
        let content = try #require(report.models.first { $0.model == "content" }?.metrics(atK: 10))
        #expect(content.ndcg >= 1.5 * pop.ndcg, "content \(content.ndcg), pop \(pop.ndcg)")
    }

    @Test func refusesASplitWithoutTestUsers() {
        let options = EvaluationOptions(split: .temporal(percent: 25), models: [.pop])
        #expect(throws: EvaluationError.self) {
            _ = try EvaluationRunner(options: options).run(on: SplitFixtures.temporal)
        }
    }
}
