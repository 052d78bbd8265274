import Foundation
import JSON
import Models

/// The models `recsmith evaluate --task rating` compares: explicit matrix factorisation by either solver, its
/// biases alone, and the MLP with the rating objective.
package enum RatedModel: String, CaseIterable, Sendable {
    /// `mf` by SGD (Surprise's `SVD` defaults unless flags change them).
    case mf
    /// `mf` by ALS.
    case mfALS = "mf-als"
    /// `μ + b_u + b_i` alone (`mf` with 0 factors, ALS, 10 sweeps as Surprise's `BaselineOnly` does): its
    /// counterpart.
    case baseline
    /// `mlp` with the rating objective: `μ + b_u + b_i` plus the ReLU tower's output on `[p_u, q_i]`, squared error.
    case mlp

    /// ALS sweeps of `baseline`: a sweep without factors costs one pass over the ratings.
    static let baselineSweeps = 10

    /// The default list of `--task rating`.
    package static let defaultList: [RatedModel] = [.mf, .mfALS, .baseline]

    /// The MF parameters this model runs with, from the run's `base`.
    package func parameters(_ base: MFParameters) -> MFParameters {
        var parameters = base
        switch self {
        case .mf: parameters.solver = .sgd
        case .mfALS: parameters.solver = .als
        case .baseline:
            parameters.solver = .als
            parameters.factors = 0
            parameters.alsIterations = Self.baselineSweeps
        case .mlp:
            break
        }
        return parameters
    }

    /// The MLP parameters of `mlp`: the run's `base` with the rating objective.
    package func parameters(_ base: MLPParameters) -> MLPParameters {
        var parameters = base
        parameters.objective = .rating
        return parameters
    }

    /// The parameters that shape this model's fit, for the report.
    package func reportedParameters(_ base: MFParameters, mlp: MLPParameters = .init()) -> [(name: String, value: JSONValue)] {
        let parameters = parameters(base)
        // Float parameters as written (0.005), not as their nearest Double (0.004999999888241291).
        func number(_ value: Float) -> JSONValue { .number(Double(value.description) ?? Double(value)) }
        if self == .mlp {
            return [
                ("factors", .integer(mlp.factors)), ("hidden", .integer(mlp.hidden)), ("layers", .integer(mlp.layers)),
                ("epochs", .integer(mlp.epochs)), ("batch_size", .integer(mlp.batchSize)),
                ("learning_rate", number(mlp.learningRate)), ("weight_decay", number(mlp.weightDecay)),
            ]
        }
        var reported: [(name: String, value: JSONValue)] = [
            ("solver", .string(parameters.solver.rawValue)), ("factors", .integer(parameters.factors)),
        ]
        switch parameters.solver {
        case .sgd:
            reported += [
                ("epochs", .integer(parameters.epochs)), ("learning_rate", number(parameters.learningRate)),
                ("learning_rate_decay", number(parameters.learningRateDecay)),
                ("regularization", number(parameters.regularization)),
            ]
        case .als:
            reported += [
                ("iterations", .integer(parameters.alsIterations)),
                ("regularization", number(parameters.alsRegularization)),
            ]
        }
        if parameters.factors > 0 { reported.append(("init_std", number(parameters.initStd))) }
        return reported
    }

    /// Parses a comma-separated list such as `mf,baseline`; duplicates are kept once.
    package static func parseList(_ text: String) throws(EvaluationError) -> [RatedModel] {
        var models: [RatedModel] = []
        for name in text.split(separator: ",") {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let model = RatedModel(rawValue: trimmed) else { throw .unknownRatedModel(trimmed) }
            if !models.contains(model) { models.append(model) }
        }
        return models
    }
}
