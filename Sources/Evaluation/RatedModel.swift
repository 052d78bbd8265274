import Foundation
import JSON
import Models

/// The models `recsmith evaluate --task rating` compares: explicit matrix factorisation by either solver, and
/// its biases alone.
package enum RatedModel: String, CaseIterable, Sendable {
    /// `mf` by SGD (Surprise's `SVD` defaults unless flags change them).
    case mf
    /// `mf` by ALS.
    case mfALS = "mf-als"
    /// `μ + b_u + b_i` alone (`mf` with 0 factors, ALS): the counterpart of Surprise's `BaselineOnly`.
    case baseline

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
        }
        return parameters
    }

    /// The parameters that shape this model's fit, for the report.
    package func reportedParameters(_ base: MFParameters) -> [(name: String, value: JSONValue)] {
        let parameters = parameters(base)
        var reported: [(name: String, value: JSONValue)] = [
            ("solver", .string(parameters.solver.rawValue)), ("factors", .integer(parameters.factors)),
        ]
        switch parameters.solver {
        case .sgd:
            reported += [
                ("epochs", .integer(parameters.epochs)), ("learning_rate", .number(Double(parameters.learningRate))),
                ("learning_rate_decay", .number(Double(parameters.learningRateDecay))),
                ("regularization", .number(Double(parameters.regularization))),
            ]
        case .als:
            reported += [
                ("iterations", .integer(parameters.alsIterations)),
                ("regularization", .number(Double(parameters.alsRegularization))),
            ]
        }
        if parameters.factors > 0 { reported.append(("init_std", .number(Double(parameters.initStd)))) }
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
