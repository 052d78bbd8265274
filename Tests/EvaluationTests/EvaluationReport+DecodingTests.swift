@testable import Evaluation
import EventFormats
import Foundation
import JSON
import SyntheticData
import Testing

/// Ranking reports read back from their JSON: every report the runner writes comes back identical, and a broken
/// one is refused with the path of what is wrong.
struct EvaluationReportDecodingTests {
    /// A small clustered set, so that every model finds something and every split has test users.
    private static let events: InteractionSet = {
        let events = SyntheticEvents(userCount: 200, itemCount: 80, eventCount: 3000, seed: 5)
        return InteractionSet(rows: events.events().map { event in
            EventRow(user: "u\(event.user)", item: "i\(event.item)", timestamp: event.timestamp, line: 0)
        })
    }()

    /// Runs that together produce every member of §8 and §9.
    enum Scenario: String, CaseIterable {
        case leaveLastOutWithGrid, temporal, strongGeneralizationWithSeedsCurvesAndGrid, oneSeed, seedAboveIntMax

        var options: EvaluationOptions {
            get throws {
                switch self {
                case .leaveLastOutWithGrid:
                    EvaluationOptions(
                        split: .leaveLastOut, ks: [5, 10, 20], models: [.pop, .itemknn, .als], factors: 8,
                        grid: [try GridAxis(parsing: "als.factors=4,8"), try GridAxis(parsing: "als.regularization=0.01,0.1")])
                case .temporal:
                    EvaluationOptions(split: .temporal(percent: 20), ks: [10], models: [.pop, .trending, .random, .softmax])
                case .strongGeneralizationWithSeedsCurvesAndGrid:
                    EvaluationOptions(
                        split: .strongGeneralization(usersTrain: 0.7, interactionsIn: 0.8), ks: [5, 10],
                        models: [.pop, .itemknn, .als, .bpr, .random], factors: 8,
                        grid: [try GridAxis(parsing: "itemknn.K=5,50")], seeds: [1, 2], curve: true)
                case .oneSeed:
                    EvaluationOptions(split: .leaveLastOut, ks: [10], models: [.random], seeds: [3])
                case .seedAboveIntMax:
                    EvaluationOptions(split: .leaveLastOut, ks: [10], models: [.pop, .random], seed: .max)
                }
            }
        }
    }

    @Test(arguments: Scenario.allCases)
    func aRunnersReportReadsBackToTheSameJSON(scenario: Scenario) throws {
        let report = try EvaluationRunner(options: try scenario.options).run(on: Self.events)
        let decoded = try AnyEvaluationReport.reading(report.json)
        guard case let .ranking(read) = decoded else {
            Issue.record("read as \(decoded), not a ranking report")
            return
        }
        // Text, not values: a NaN standard deviation is written null and NaN ≠ NaN.
        #expect(read.json.serialized() == report.json.serialized())
        #expect(read.split == report.split && read.ks == report.ks && read.seeds == report.seeds)
        #expect(read.models.map(\.metrics) == report.models.map(\.metrics))
        #expect(read.models.map { $0.runs.map(\.seed) } == report.models.map { $0.runs.map(\.seed) })
        #expect(read.models.map(\.curve) == report.models.map(\.curve))
        #expect(read.grid.map(\.bestIndex) == report.grid.map(\.bestIndex))
    }

    @Test func theScenariosCoverEveryVersion2Member() throws {
        let report = try EvaluationRunner(options: try Scenario.strongGeneralizationWithSeedsCurvesAndGrid.options)
            .run(on: Self.events)
        let text = report.json.serialized()
        for member in ["frac_users_train", "input_pairs", "fingerprint_input_sha256", "fold_in", "metrics_sd", "curve_metric",
                       "\"loss\"", "runs", "popularity_percentile", "grid", "validation"] {
            #expect(text.contains(member), "\(member)")
        }
        let oneSeed = try EvaluationRunner(options: try Scenario.oneSeed.options).run(on: Self.events)
        #expect(oneSeed.json.serialized().contains("\"ndcg\": null"), "a single seed's spread is null")
    }

    @Test func eachPartReadsAloneWithPathsFromItself() throws {
        let report = try EvaluationRunner(options: try Scenario.strongGeneralizationWithSeedsCurvesAndGrid.options)
            .run(on: Self.events)
        let json = report.json
        guard case let .array(models)? = json["models"], case let .array(grid)? = json["grid"],
              case let .array(curve)? = models[2]["curve"], let atFive = models[2]["metrics"]?["5"], let split = json["split"]
        else {
            Issue.record("the report lacks a member the test reads")
            return
        }
        #expect(try SplitSummary(json: split) == report.split)
        #expect(try ModelResult(json: models[2]).json.serialized() == models[2].serialized())
        #expect(try GridSearchResult(json: grid[0]).json.serialized() == grid[0].serialized())
        #expect(try CurvePoint(json: curve[0]) == report.models[2].curve[0])
        #expect(try MetricsAtK(json: atFive, k: 5) == report.models[2].metrics[0])
        #expect(throws: ReportDecodingError.missing(path: "fit_s")) {
            try ModelResult(json: models[2].replacing(["fit_s"], with: nil))
        }
    }

    @Test func readsIntegersWhereNumbersAreExpectedAndIgnoresUnknownMembers() throws {
        let json = try EvaluationReportTests.sampleReport().json
            .replacing(["models", 0, "fit_s"], with: .integer(2))
            .replacing(["models", 0, "metrics", "10", "recall"], with: .integer(1))
        let report = try EvaluationReport(json: json)
        #expect(report.models[0].fitSeconds == 2 && report.models[0].metrics[0].recall == 1)
        let extended = json
            .replacing(["dataset"], with: .string("movielens"))
            .replacing(["models", 0, "notes"], with: .object([("by", .string("a later writer"))]))
            .replacing(["split", "users_dropped"], with: .integer(4))
        #expect(try EvaluationReport(json: extended).json == report.json)
    }

    @Test(arguments: [
        (["models", 0, "metrics", "10", "ndcg"], nil, ReportDecodingError.missing(path: #"models[0].metrics["10"].ndcg"#)),
        (["models", 0, "fit_s"], .string("fast"), .mistyped(path: "models[0].fit_s", expected: "a number")),
        (["split", "train_pairs"], .number(6.5), .mistyped(path: "split.train_pairs", expected: "an integer")),
        (["split", "fingerprint_test_sha256"], nil, .missing(path: "split.fingerprint_test_sha256")),
        (["ks", 1], .string("20"), .mistyped(path: "ks[1]", expected: "an integer")),
        (["models", 0, "params"], .array([]), .mistyped(path: "models[0].params", expected: "an object")),
        (["models"], .object([]), .mistyped(path: "models", expected: "an array")),
        (["seed"], .integer(-1), .mistyped(path: "seed", expected: "a seed (a whole number from 0 to 2^64 − 1)")),
        (["protocol"], nil, .missing(path: "protocol")),
    ] as [([JSONStep], JSONValue?, ReportDecodingError)])
    func namesThePathOfAMissingOrMistypedMember(path: [JSONStep], replacement: JSONValue?, error: ReportDecodingError) throws {
        let json = try EvaluationReportTests.sampleReport().json.replacing(path, with: replacement)
        #expect(throws: error) { try EvaluationReport(json: json) }
    }

    @Test func theErrorMessageLeadsWithThePath() {
        let error = ReportDecodingError.mistyped(path: #"models[2].metrics["10"].ndcg"#, expected: "a number")
        #expect(error.description == #"models[2].metrics["10"].ndcg: expected a number"#)
        #expect(ReportDecodingError.mistyped(path: "", expected: "an object").description == "the document: expected an object")
    }

    @Test(arguments: [("ten", "models[0].metrics.ten"), ("0", #"models[0].metrics["0"]"#), ("010", #"models[0].metrics["010"]"#)])
    func refusesACutOffKeyThatIsNotAPositiveInteger(key: String, path: String) throws {
        let text = try EvaluationReportTests.sampleReport().json.serialized()
            .replacingOccurrences(of: #""10": {"#, with: "\"\(key)\": {")
        #expect(throws: ReportDecodingError.invalid(path: path, reason: "a cut-off key must be a positive integer")) {
            try AnyEvaluationReport(jsonText: Array(text.utf8), maxDepth: 16)
        }
    }

    @Test func refusesAGridWhoseBestIsNoTrial() throws {
        let report = try EvaluationRunner(options: try Scenario.leaveLastOutWithGrid.options).run(on: Self.events)
        let json = report.json.replacing(["grid", 0, "best", "factors"], with: .integer(7))
        #expect(throws: ReportDecodingError.invalid(path: "grid[0].best", reason: "matches the params of no trial")) {
            try EvaluationReport(json: json)
        }
    }
}
