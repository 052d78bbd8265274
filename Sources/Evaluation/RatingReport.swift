import Foundation
import JSON

/// The outcome of `recsmith evaluate --task rating`: per model, RMSE and MAE on every fold and their means.
package struct RatingReport: Sendable {
    /// Number of folds.
    package var folds: Int
    /// Rated pairs after deduplication.
    package var ratings: Int
    /// Distinct users and items.
    package var users: Int
    package var items: Int
    /// Seed of every fit.
    package var seed: UInt64
    /// One result per model, in the order requested.
    package var models: [RatingResult]
    /// Per fold, in fold order, the fingerprints of its train and test pairs (docs/EVALUATION.md §9).
    package var fingerprints: [SplitFingerprints]

    /// Creates a report.
    package init(
        folds: Int, ratings: Int, users: Int, items: Int, seed: UInt64, models: [RatingResult],
        fingerprints: [SplitFingerprints]
    ) {
        self.folds = folds
        self.ratings = ratings
        self.users = users
        self.items = items
        self.seed = seed
        self.models = models
        self.fingerprints = fingerprints
    }

    /// The JSON object `--json` writes.
    package var json: JSONValue {
        .object([
            ("protocol", .string(EvaluationReport.version2)),
            ("task", .string(EvaluationTask.rating.rawValue)),
            ("split", .object([
                ("kind", .string("random")), ("folds", .integer(folds)), ("ratings", .integer(ratings)),
                ("users", .integer(users)), ("items", .integer(items)),
                ("fold_fingerprints", .array(fingerprints.enumerated().map { fold, fingerprints in
                    .object([
                        ("fold", .integer(fold)), ("fingerprint_train_sha256", .string(fingerprints.train)),
                        ("fingerprint_test_sha256", .string(fingerprints.test)),
                    ])
                })),
            ])),
            ("seed", ModelResult.seedJSON(seed)),
            ("models", .array(models.map(\.json))),
        ])
    }

    /// The leaderboard printed on stdout: one line per model with the fold means, then each curve.
    package var table: String {
        var lines = [
            "task rating, \(folds) folds (h64(user, item) mod \(folds)), \(ratings) ratings, \(users) users, \(items) items",
            "model     rmse    mae     fit_s",
        ]
        for result in models {
            lines.append(
                result.model.padding(toLength: 10, withPad: " ", startingAt: 0) + Leaderboard.format(result.rmse) + "  "
                    + Leaderboard.format(result.mae) + "  " + Leaderboard.seconds(result.fitSeconds))
        }
        for result in models where !result.curve.isEmpty {
            lines.append("\(result.model) curve (mean test rmse over folds): "
                + result.curve.map { "\($0.epoch):\(Leaderboard.format($0.metric))" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// One model's figures over the folds.
package struct RatingResult: Sendable {
    /// The model's name (`mf`, `mf-als`, `baseline`).
    package var model: String
    /// Hyper-parameters, in a stable order.
    package var parameters: [(name: String, value: JSONValue)]
    /// One entry per fold, in fold order.
    package var folds: [RatingFoldResult]
    /// Test RMSE after every epoch, averaged over folds (`--curve`); empty otherwise.
    package var curve: [CurvePoint]

    /// Creates a result.
    package init(model: String, parameters: [(name: String, value: JSONValue)], folds: [RatingFoldResult], curve: [CurvePoint] = []) {
        self.model = model
        self.parameters = parameters
        self.folds = folds
        self.curve = curve
    }

    /// Mean RMSE over folds.
    package var rmse: Double { mean(\.rmse) }
    /// Mean MAE over folds.
    package var mae: Double { mean(\.mae) }
    /// Mean fitting time over folds, seconds.
    package var fitSeconds: Double { mean(\.fitSeconds) }

    private func mean(_ value: KeyPath<RatingFoldResult, Double>) -> Double {
        folds.isEmpty ? 0 : folds.reduce(0) { $0 + $1[keyPath: value] } / Double(folds.count)
    }

    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("model", .string(model)), ("parameters", .object(parameters.map { ($0.name, $0.value) })),
            ("rmse", .number(rmse)), ("mae", .number(mae)), ("fit_s", .number(fitSeconds)),
            ("folds", .array(folds.map(\.json))),
        ]
        if !curve.isEmpty {
            members.append(("curve_metric", .string("rmse")))
            members.append(("curve", .array(curve.map(\.json))))
        }
        return .object(members)
    }
}

/// A model's figures on one fold.
package struct RatingFoldResult: Sendable, Equatable {
    /// The fold's number.
    package var fold: Int
    /// Ratings trained on.
    package var trainPairs: Int
    /// Ratings predicted.
    package var testPairs: Int
    /// Test pairs whose user or item has no train rating (predicted from the known biases).
    package var unknownPairs: Int
    /// Root mean squared error of the clipped predictions.
    package var rmse: Double
    /// Mean absolute error of the clipped predictions.
    package var mae: Double
    /// Fitting time, seconds (scoring a curve excluded).
    package var fitSeconds: Double

    var json: JSONValue {
        .object([
            ("fold", .integer(fold)), ("train", .integer(trainPairs)), ("test", .integer(testPairs)),
            ("unknown", .integer(unknownPairs)), ("rmse", .number(rmse)), ("mae", .number(mae)),
            ("fit_s", .number(fitSeconds)),
        ])
    }
}
