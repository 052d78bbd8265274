import Evaluation
import Foundation
import TestSupport
import Testing

/// Reproduces the reference table of docs/EVALUATION.md §7 on MovieLens latest-small (strong generalization's row
/// from a Python reference of §9's rule).
///
/// The data set is not in the repository (`MovieLensFiles` finds its `events.csv`); without it these tests are
/// skipped.
@Suite(.enabled(if: ConformanceData.path != nil, Comment(rawValue: MovieLensFiles.skipMessage("events.csv"))))
struct ConformanceTests {
    /// The figures of one row of the §7 table.
    struct Reference: Sendable, CustomTestStringConvertible {
        let split: SplitKind
        let trainPairs: Int
        let testUsers: Int
        let testPairs: Int
        let trainPrefix: String
        let testPrefix: String
        var inputPrefix: String? = nil
        let popRecall10: String
        let popNDCG10: String
        let trendingNDCG10: String

        var testDescription: String { split.name }
    }

    static let references = [
        Reference(
            split: .leaveLastOut, trainPairs: 100_226, testUsers: 587, testPairs: 587,
            trainPrefix: "e54ba4ef2bd7b6af", testPrefix: "72ef07cf299949e0",
            popRecall10: "0.0443", popNDCG10: "0.0215", trendingNDCG10: "0.0017"),
        Reference(
            split: .temporal(percent: 10), trainPairs: 90_753, testUsers: 27, testPairs: 1_289,
            trainPrefix: "0ce6b9632a4b111d", testPrefix: "dfeae8dd964d8935",
            popRecall10: "0.1037", popNDCG10: "0.1121", trendingNDCG10: "0.2200"),
        Reference(
            split: .strongGeneralization(usersTrain: 0.7, interactionsIn: 0.8), trainPairs: 73_073, testUsers: 176,
            testPairs: 5_278, trainPrefix: "4512325569c20bcd", testPrefix: "285ea079ad5596c6",
            inputPrefix: "9a46e15630dd1a0f", popRecall10: "0.1747", popNDCG10: "0.1894", trendingNDCG10: "0.0231"),
    ]

    @Test(arguments: references)
    func reproducesTheReferenceTable(reference: Reference) throws {
        let interactions = try #require(ConformanceData.interactions)
        let options = EvaluationOptions(split: reference.split, models: [.pop, .trending])
        let report = try EvaluationRunner(options: options).run(on: interactions)

        #expect(report.split.trainPairs == reference.trainPairs)
        #expect(report.split.testUsers == reference.testUsers)
        #expect(report.split.testPairs == reference.testPairs)
        #expect(report.split.fingerprints.train.hasPrefix(reference.trainPrefix))
        #expect(report.split.fingerprints.test.hasPrefix(reference.testPrefix))
        #expect(report.split.fingerprints.input?.prefix(16) == reference.inputPrefix?.prefix(16))

        let pop = try #require(report.models.first { $0.model == "pop" }?.metrics(atK: 10))
        let trending = try #require(report.models.first { $0.model == "trending" }?.metrics(atK: 10))
        #expect(String(format: "%.4f", pop.recall) == reference.popRecall10)
        #expect(String(format: "%.4f", pop.ndcg) == reference.popNDCG10)
        #expect(String(format: "%.4f", trending.ndcg) == reference.trendingNDCG10)
    }
}

/// Locates and loads the MovieLens events once.
enum ConformanceData {
    static let path = MovieLensFiles.path("events.csv")

    static let interactions: InteractionSet? = path.flatMap { try? InteractionSet.load(path: $0) }
}
