import Hashing
@testable import Evaluation
import EventFormats
import JSON
import Models
import Testing

struct RatingEvaluationTests {
    @Test func assignsFoldsByTheStableHashOfUserAndItem() {
        // Python: int.from_bytes(hashlib.sha256(b"1\x1f1").digest()[:8], "big") = 13346637275981849662 → mod 5 = 2;
        // ("1", "3") → 11405372115831029590 → 0; ("610", "168252") → 14093755834101019402 → 2.
        #expect(StableHash.h64("1", "1") == 13_346_637_275_981_849_662)
        #expect(StableHash.h64("1", "3") == 11_405_372_115_831_029_590)
        #expect(StableHash.h64("610", "168252") == 14_093_755_834_101_019_402)
        let set = RatingSet(users: ["1", "1", "610"], items: ["1", "3", "168252"], ratings: [4, 4, 5])
        #expect(RatingFold.assignments(set, folds: 5) == [2, 0, 2])
    }

    @Test func computesRMSEAndMAEOfAHandTable() {
        // Errors −1, 0, 2: RMSE √(5/3), MAE 1.
        var errors = RatingErrors()
        for (predicted, actual) in [(Float(3), Float(4)), (4, 4), (5, 3)] { errors.add(predicted: predicted, actual: actual) }
        #expect(errors.count == 3)
        #expect(abs(errors.rmse - (5.0 / 3).squareRoot()) < 1e-12)
        #expect(abs(errors.mae - 1) < 1e-12)
        #expect(RatingErrors().rmse == 0)
    }

    @Test func keepsTheLatestRatingOfEachPairWithTiesToTheLastRow() throws {
        let rows = [
            EventRow(user: "a", item: "x", timestamp: 10, weight: 2, line: 2),
            EventRow(user: "a", item: "x", timestamp: 5, weight: 5, line: 3),
            EventRow(user: "b", item: "x", timestamp: 7, weight: 1, line: 4),
            EventRow(user: "b", item: "x", timestamp: 7, weight: 3, line: 5),
        ]
        let set = try RatingSet(rows: rows)
        #expect(set.users == ["a", "b"] && set.ratings == [2, 3])
        #expect(throws: EvaluationError.self) {
            try RatingSet(rows: [EventRow(user: "a", item: "x", timestamp: 1, line: 2)])
        }
    }

    @Test func evaluatesEveryFoldAndScoresPairsOutsideTrainFromTheBiases() throws {
        var users: [String] = [], items: [String] = [], ratings: [Float] = []
        for user in 0..<30 {
            for item in 0..<20 where (user * 7 + item) % 3 != 0 {
                users.append("u\(user)")
                items.append("i\(item)")
                ratings.append(Float(1 + (user + 2 * item) % 5))
            }
        }
        users.append("lonely")
        items.append("unique")
        ratings.append(4)
        let set = RatingSet(users: users, items: items, ratings: ratings)
        let evaluation = RatingEvaluation(
            folds: 3, models: [.baseline, .mf], parameters: MFParameters(factors: 4, epochs: 5), curve: true)
        let report = try evaluation.run(on: set)
        #expect(report.models.map(\.model) == ["baseline", "mf"])
        for result in report.models {
            #expect(result.folds.map(\.fold) == [0, 1, 2])
            #expect(result.folds.reduce(0) { $0 + $1.testPairs } == set.count)
            #expect(result.folds.reduce(0) { $0 + $1.unknownPairs } >= 1)
            #expect(result.rmse > 0 && result.rmse < 2 && result.mae <= result.rmse)
        }
        #expect(report.models[1].curve.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(report.models[0].curve.map(\.epoch) == Array(1...10))
        let json = report.json.serialized(indent: 0).filter { $0 != " " }
        #expect(json.contains(#""task":"rating""#) && json.contains(#""folds":3"#))
        #expect(throws: EvaluationError.self) { try RatingEvaluation(folds: 1).run(on: set) }
    }

    @Test func evaluatesTheMLPWithTheRatingObjectiveBesideMF() throws {
        var users: [String] = [], items: [String] = [], ratings: [Float] = []
        for user in 0..<40 {
            for item in 0..<25 where (user * 7 + item) % 3 != 0 {
                users.append("u\(user)")
                items.append("i\(item)")
                ratings.append(Float(1 + (user % 3) + (item % 3)))
            }
        }
        let set = RatingSet(users: users, items: items, ratings: ratings)
        let evaluation = RatingEvaluation(
            folds: 3, models: [.baseline, .mlp], mlpParameters: MLPParameters(factors: 8, hidden: 16, epochs: 30, batchSize: 16, learningRate: 0.01), curve: true)
        let report = try evaluation.run(on: set)
        let mlp = try #require(report.models.first { $0.model == "mlp" })
        #expect(mlp.parameters.map(\.name) == ["factors", "hidden", "layers", "epochs", "batch_size", "learning_rate", "weight_decay"])
        #expect(mlp.curve.map(\.epoch) == Array(1...30))
        // Additive ratings: the biases the MLP carries fit them, so it is no worse than a little above the baseline.
        #expect(mlp.rmse < 1.2 * report.models[0].rmse, "mlp \(mlp.rmse), baseline \(report.models[0].rmse)")
        #expect(try RatedModel.parseList("mf,mlp") == [.mf, .mlp])
    }
}
