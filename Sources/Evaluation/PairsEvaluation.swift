import Foundation
import JSON
import LinearAlgebra
import Models

/// `recsmith evaluate --task pairs` (docs/EVALUATION.md §9): splits a relations file by `h64(from, to, type)`,
/// fits each pair model on the train pairs and reports the mean AUC-ROC over the held-out relations' `from` items,
/// with a learning curve (AUC after every epoch, its scoring time left out of `fit_s`) when asked.
package struct PairsEvaluation: Sendable {
    /// The pair models, by their names in `--models`: pair MF with item biases and without (the post compares both).
    package enum Model: String, Sendable, CaseIterable {
        case pairmf
        case pairmfNoBias = "pairmf-nobias"

        /// `pairmf,pairmf-nobias`.
        package static let defaultList: [Model] = [.pairmf, .pairmfNoBias]

        /// Parses a comma-separated list; nil names the first unknown name.
        package static func parseList(_ text: String) -> Result<[Model], EvaluationError> {
            var models: [Model] = []
            for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let model = Model(rawValue: name) else { return .failure(.unknownModel(name)) }
                if !models.contains(model) { models.append(model) }
            }
            return .success(models)
        }
    }

    /// Models to fit, in report order.
    package let models: [Model]
    /// Hyper-parameters; `biases` is set per model.
    package let parameters: PairMFParameters
    package let seed: UInt64
    /// Score the model after every epoch.
    package let curve: Bool
    let progress: @Sendable (String) -> Void

    package init(
        models: [Model] = Model.defaultList, parameters: PairMFParameters = .init(), seed: UInt64 = 1, curve: Bool = false,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.models = models
        self.parameters = parameters
        self.seed = seed
        self.curve = curve
        self.progress = progress
    }

    /// Evaluates the relations CSV at `path`.
    package func run(path: String) throws(EvaluationError) -> Report {
        progress("reading \(path)")
        return try run(on: try RelationSplit.load(path: path))
    }

    /// Evaluates an existing split.
    package func run(on split: RelationSplit) throws(EvaluationError) -> Report {
        progress("\(split.relationCount) relations over \(split.itemIDs.count) items: \(split.training.count) train pairs, "
                 + "\(split.heldOutCount) held out from \(split.targets.count) items")
        guard !split.targets.isEmpty else { throw .noTestUsers(split: "pairs") }
        var results: [Report.Result] = []
        for model in models {
            var parameters = parameters
            parameters.biases = model == .pairmf
            results.append(try evaluate(model, parameters: parameters, on: split))
        }
        return Report(split: split, seed: seed, results: results)
    }

    private func evaluate(_ model: Model, parameters: PairMFParameters, on split: RelationSplit) throws(EvaluationError) -> Report.Result {
        let data = TrainingData(
            interactions: try! CSRMatrix(rowCount: 0, columnCount: split.itemIDs.count, rowOffsets: [0], columns: [], values: []),
            lastSeen: [], relations: split.training)
        let clock = ContinuousClock()
        var points: [CurvePoint] = []
        var curveTime = Duration.zero
        var fitStart = clock.now
        let observer: EpochObserver? = curve ? { epoch, build in
            let began = clock.now
            let reached = began - fitStart - curveTime
            if let snapshot = build() as? PairMF {
                points.append(CurvePoint(epoch: epoch, metric: PairAUC.meanAUC(split) { snapshot.pairLogits(of: $0, into: $1) },
                                         seconds: reached.seconds))
            }
            curveTime += clock.now - began
        } : nil
        progress("fitting \(model.rawValue)")
        fitStart = clock.now
        let fitted: PairMF
        do {
            fitted = try PairMF.fit(data, parameters: parameters, seed: seed, observer: observer)
        } catch {
            throw .fitFailed(model: model.rawValue, reason: error.description)
        }
        let fitTime = clock.now - fitStart - curveTime
        let auc = PairAUC.meanAUC(split) { fitted.pairLogits(of: $0, into: $1) }
        progress("\(model.rawValue): fit \(Leaderboard.seconds(fitTime.seconds)) s, auc \(Leaderboard.format(auc))")
        return Report.Result(model: model, parameters: parameters, fitSeconds: fitTime.seconds, auc: auc, curve: points)
    }

    /// The outcome of a `--task pairs` run.
    package struct Report: Sendable {
        /// One model's figures.
        package struct Result: Sendable {
            package let model: Model
            package let parameters: PairMFParameters
            package let fitSeconds: Double
            /// Mean AUC-ROC over the `from` items with held-out relations.
            package let auc: Double
            /// AUC after each epoch (with `--curve`).
            package let curve: [CurvePoint]
        }

        package let relations: Int
        package let items: Int
        package let trainPairs: Int
        package let heldOut: Int
        package let fromItems: Int
        /// The split's train and held-out fingerprints.
        package let fingerprints: SplitFingerprints
        package let seed: UInt64
        package let results: [Result]

        init(split: RelationSplit, seed: UInt64, results: [Result]) {
            relations = split.relationCount
            items = split.itemIDs.count
            trainPairs = split.training.count
            heldOut = split.heldOutCount
            fromItems = split.targets.count
            fingerprints = split.fingerprints
            self.seed = seed
            self.results = results
        }

        /// The `--json` object.
        package var json: JSONValue {
            .object([
                ("protocol", .string(EvaluationReport.version2)),
                ("task", .string("pairs")),
                ("split", .object([
                    ("kind", .string("h64(from,to,type) mod 5 == 0")), ("relations", .integer(relations)), ("items", .integer(items)),
                    ("train_pairs", .integer(trainPairs)), ("held_out", .integer(heldOut)), ("from_items", .integer(fromItems)),
                    ("fingerprint_train_sha256", .string(fingerprints.train)),
                    ("fingerprint_test_sha256", .string(fingerprints.test)),
                ])),
                ("seed", ModelResult.seedJSON(seed)),
                ("models", .array(results.map { result in
                    var members: [(key: String, value: JSONValue)] = [
                        ("model", .string(result.model.rawValue)),
                        ("params", .object([
                            ("factors", .integer(result.parameters.factors)), ("learning_rate", .number(Double(result.parameters.learningRate))),
                            ("regularization", .number(Double(result.parameters.regularization))),
                            ("negatives", .integer(result.parameters.negatives)), ("epochs", .integer(result.parameters.epochs)),
                            ("biases", .bool(result.parameters.biases)),
                        ])),
                        ("fit_s", .number(result.fitSeconds)),
                        ("metrics", .object([("auc", .number(result.auc)), ("from_items", .integer(fromItems))])),
                    ]
                    if !result.curve.isEmpty {
                        members.append(("curve_metric", .string("auc")))
                        members.append(("curve", .array(result.curve.map(\.json))))
                    }
                    return .object(members)
                })),
            ])
        }

        /// The table printed on stdout.
        package var text: String {
            var lines = [
                "protocol \(EvaluationReport.version2), task pairs: \(relations) relations over \(items) items; \(trainPairs) train pairs, "
                    + "\(heldOut) held out from \(fromItems) items",
                "",
                "model          auc     fit_s",
            ]
            for result in results {
                lines.append(result.model.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
                             + Leaderboard.format(result.auc).padding(toLength: 8, withPad: " ", startingAt: 0)
                             + Leaderboard.seconds(result.fitSeconds))
                if !result.curve.isEmpty {
                    lines.append("  curve (epoch auc): " + result.curve.map { "\($0.epoch) \(Leaderboard.format($0.metric))" }.joined(separator: ", "))
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
