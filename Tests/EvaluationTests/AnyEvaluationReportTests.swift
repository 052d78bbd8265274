import Evaluation
import EventFormats
import JSON
import Models
import SyntheticData
import Testing

/// One entry point for every task's report: it tells them apart, reads rating and pairs reports back unchanged,
/// and refuses what is not a report it knows.
struct AnyEvaluationReportTests {
    @Test func readsARatingReportBackToTheSameJSON() throws {
        var users: [String] = [], items: [String] = [], ratings: [Float] = []
        for user in 0..<30 {
            for item in 0..<20 where (user * 7 + item) % 3 != 0 {
                users.append("u\(user)")
                items.append("i\(item)")
                ratings.append(Float(1 + (user + 2 * item) % 5))
            }
        }
        let evaluation = RatingEvaluation(
            folds: 3, models: [.baseline, .mf], parameters: MFParameters(factors: 4, epochs: 5), curve: true)
        let report = try evaluation.run(on: RatingSet(users: users, items: items, ratings: ratings))
        let decoded = try AnyEvaluationReport.reading(report.json)
        guard case let .rating(read) = decoded else {
            Issue.record("read as \(decoded), not a rating report")
            return
        }
        #expect(read.json.serialized() == report.json.serialized())
        #expect(read.models.map(\.folds) == report.models.map(\.folds))
        #expect(read.models.map(\.curve) == report.models.map(\.curve))
    }

    @Test func readsAPairsReportBackToTheSameJSON() throws {
        let generated = SyntheticRelations(itemCount: 60, clusterCount: 3, relationsPerItem: 4, noise: 0.05, seed: 3).generate()
        let split = RelationSplit(generated.map { Relation(from: "i\($0.from)", to: "i\($0.to)", type: $0.type, weight: 1) })
        let parameters = PairMFParameters(factors: 4, epochs: 3, threads: 1)
        let report = try PairsEvaluation(models: [.pairmf, .pairmfNoBias], parameters: parameters, seed: 7, curve: true)
            .run(on: split)
        let decoded = try AnyEvaluationReport.reading(report.json)
        guard case let .pairs(read) = decoded else {
            Issue.record("read as \(decoded), not a pairs report")
            return
        }
        #expect(read.json.serialized() == report.json.serialized())
        #expect(read.results.map(\.model) == [.pairmf, .pairmfNoBias])
        #expect(read.results.map(\.parameters.biases) == [true, false])
        #expect(read.results.map(\.curve) == report.results.map(\.curve))
    }

    @Test func refusesAProtocolItDoesNotRead() throws {
        let json = try EvaluationReportTests.sampleReport().json.replacing(["protocol"], with: .string("recsmith-eval-v3"))
        let expected = ReportDecodingError.unsupportedProtocol(
            "recsmith-eval-v3", accepted: ["recsmith-eval-v1", "recsmith-eval-v2"])
        #expect(throws: expected) { try AnyEvaluationReport.reading(json) }
        #expect(expected.description
            == #"protocol "recsmith-eval-v3" is not supported (expected "recsmith-eval-v1" or "recsmith-eval-v2")"#)
    }

    @Test func refusesATaskReportUnderVersion1() throws {
        let json = JSONValue.object([("protocol", .string("recsmith-eval-v1")), ("task", .string("rating"))])
        #expect(throws: ReportDecodingError.unsupportedProtocol("recsmith-eval-v1", accepted: ["recsmith-eval-v2"])) {
            try AnyEvaluationReport.reading(json)
        }
    }

    @Test func refusesAnUnknownTask() throws {
        let json = JSONValue.object([("protocol", .string("recsmith-eval-v2")), ("task", .string("sequence"))])
        #expect(throws: ReportDecodingError.unknownTask("sequence")) { try AnyEvaluationReport.reading(json) }
    }

    @Test(arguments: ["[1, 2]", "\"report\"", "null", "42"])
    func refusesADocumentThatIsNotAnObject(text: String) {
        #expect(throws: ReportDecodingError.mistyped(path: "", expected: "an object")) {
            try AnyEvaluationReport(jsonText: Array(text.utf8), maxDepth: 16)
        }
    }

    @Test func refusesTextThatIsNotJSON() {
        #expect {
            try AnyEvaluationReport(jsonText: Array(#"{"protocol": "recsmith-eval-v1",}"#.utf8), maxDepth: 16)
        } throws: { error in
            guard case .syntax = error as? ReportDecodingError else { return false }
            return true
        }
    }

    @Test func refusesNestingDeeperThanTheLimitBeforeReadingIt() {
        let text = String(repeating: #"{"a": "#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        #expect {
            try AnyEvaluationReport(jsonText: Array(text.utf8), maxDepth: 16)
        } throws: { error in
            guard case let .syntax(parseError) = error as? ReportDecodingError else { return false }
            return parseError.message == "nested deeper than 16 levels"
        }
    }

    @Test func theDeepestReportNeedsSevenLevels() throws {
        let report = try EvaluationRunner(options: EvaluationOptions(
            split: .leaveLastOut, ks: [10], models: [.random], seeds: [1, 2])).run(on: SplitFixtures.leaveLastOut)
        #expect(throws: Never.self) { try AnyEvaluationReport.reading(report.json, maxDepth: 7) }
        #expect(throws: ReportDecodingError.self) { try AnyEvaluationReport.reading(report.json, maxDepth: 6) }
    }
}
