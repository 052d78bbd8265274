import EventFormats
import LinearAlgebra
import Models

/// Runs `recsmith evaluate --task rating` (docs/EVALUATION.md §9): every model on every hash fold of the ratings,
/// RMSE and MAE per fold and their means, with a learning curve (test RMSE after every epoch) on request.
package struct RatingEvaluation: Sendable {
    /// Number of folds F; a pair's fold is `h64(user, item) mod F`.
    package let folds: Int
    /// Models to fit, in report order.
    package let models: [RatedModel]
    /// The MF settings every model starts from (solver and factors are set per model).
    package let parameters: MFParameters
    /// The settings of `mlp` (its objective is set to rating).
    package let mlpParameters: MLPParameters
    /// Seed of every fit.
    package let seed: UInt64
    /// Score iterative models on the test fold after every epoch (`--curve`).
    package let curve: Bool
    /// Receives one human-readable line per step.
    let progress: @Sendable (String) -> Void

    /// A run; `progress` receives one line per step.
    package init(
        folds: Int = 5, models: [RatedModel] = RatedModel.defaultList, parameters: MFParameters = .init(),
        mlpParameters: MLPParameters = .init(), seed: UInt64 = 1, curve: Bool = false, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.folds = folds
        self.models = models
        self.parameters = parameters
        self.mlpParameters = mlpParameters
        self.seed = seed
        self.curve = curve
        self.progress = progress
    }

    /// Reads the ratings at `path` and evaluates them.
    package func run(path: String) throws(EvaluationError) -> RatingReport {
        progress("reading \(path)")
        let set = try RatingSet.load(path: path)
        return try run(on: set)
    }

    /// Evaluates ratings already loaded.
    package func run(on set: RatingSet) throws(EvaluationError) -> RatingReport {
        guard folds >= 2 else { throw .invalidFolds(folds) }
        let assignments = RatingFold.assignments(set, folds: folds)
        progress("\(set.count) ratings, \(folds) folds")
        var splits: [RatingFold] = []
        for fold in 0..<folds { splits.append(try RatingFold(set, fold: fold, assignments: assignments)) }
        var results: [RatingResult] = []
        for model in models {
            var foldResults: [RatingFoldResult] = []
            var curves: [[CurvePoint]] = []
            for split in splits {
                let (result, points) = try evaluate(model, on: split)
                foldResults.append(result)
                curves.append(points)
                progress(
                    "\(model.rawValue) fold \(split.fold): rmse \(Leaderboard.format(result.rmse)), mae "
                        + "\(Leaderboard.format(result.mae)), fit \(Leaderboard.seconds(result.fitSeconds)) s")
            }
            results.append(RatingResult(
                model: model.rawValue, parameters: model.reportedParameters(parameters, mlp: mlpParameters), folds: foldResults,
                curve: Self.meanCurve(curves)))
        }
        return RatingReport(
            folds: folds, ratings: set.count, users: Set(set.users.map(ExactID.init)).count,
            items: Set(set.items.map(ExactID.init)).count, seed: seed, models: results,
            fingerprints: set.foldFingerprints(assignments: assignments, folds: folds))
    }

    /// Fits `model` on the fold's train ratings and measures it on its test pairs.
    private func evaluate(_ model: RatedModel, on split: RatingFold) throws(EvaluationError) -> (RatingFoldResult, [CurvePoint]) {
        let clock = ContinuousClock()
        var points: [CurvePoint] = []
        var curveTime = Duration.zero
        var fitStart = clock.now
        let observer: EpochObserver? = curve ? { epoch, build in
            let began = clock.now
            let reached = began - fitStart - curveTime
            let snapshot = build()
            if let errors = (snapshot as? MF).map(split.errors(of:)) ?? (snapshot as? MLP).map(split.errors(of:)) {
                points.append(CurvePoint(epoch: epoch, metric: errors.rmse, seconds: reached.seconds))
            }
            curveTime += clock.now - began
        } : nil
        var errors: RatingErrors?
        var failure: (any Error)?
        var fitTime = Duration.zero
        fitStart = clock.now
        do {
            if model == .mlp {
                let fitted = try MLP.fit(
                    split.training, parameters: model.parameters(mlpParameters), seed: seed, observer: observer)
                fitTime = clock.now - fitStart - curveTime
                errors = split.errors(of: fitted)
            } else {
                let fitted = try MF.fit(
                    split.training, parameters: model.parameters(parameters), seed: seed, observer: observer)
                fitTime = clock.now - fitStart - curveTime
                errors = split.errors(of: fitted)
            }
        } catch {
            failure = error
        }
        guard let errors else {
            throw .fitFailed(model: model.rawValue, reason: failure.map { "\($0)" } ?? "no model")
        }
        let result = RatingFoldResult(
            fold: split.fold, trainPairs: split.training.interactions.nonzeroCount, testPairs: errors.count,
            unknownPairs: split.unknownPairs, rmse: errors.rmse, mae: errors.mae, fitSeconds: fitTime.seconds)
        return (result, points)
    }

    /// The curve averaged over folds, epoch by epoch (metric and cumulative seconds).
    static func meanCurve(_ curves: [[CurvePoint]]) -> [CurvePoint] {
        guard let shortest = curves.map(\.count).min(), shortest > 0 else { return [] }
        return (0..<shortest).map { index in
            let points = curves.map { $0[index] }
            let count = Double(points.count)
            return CurvePoint(
                epoch: points[0].epoch, metric: points.reduce(0) { $0 + $1.metric } / count,
                seconds: points.reduce(0) { $0 + $1.seconds } / count)
        }
    }
}
