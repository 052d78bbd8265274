import EventFormats
import LinearAlgebra

/// Why an evaluation could not run.
package enum EvaluationError: Error, Sendable, CustomStringConvertible {
    /// The event file could not be read or a row is invalid.
    case input(EventCSVError)
    /// `--test-percent` outside 0…100.
    case invalidTestPercent(Int)
    /// A share of strong generalization (`--frac-users-train` in 0…1, `--frac-interactions-in` in (0, 1]) out of range.
    case invalidFraction(name: String, value: Double)
    /// A cut-off `k` that is not positive, or no cut-off at all.
    case invalidCutoffs([Int])
    /// A model name that `evaluate` does not know.
    case unknownModel(String)
    /// The split left nothing to evaluate on.
    case noTestUsers(split: String)
    /// A matrix could not be built from the split.
    case matrix(LinearAlgebraError)
    /// Fitting a model failed.
    case fitFailed(model: String, reason: String)
    /// A `--grid` specification could not be understood.
    case invalidGrid(spec: String, reason: String)
    /// An output file or directory could not be written.
    case cannotWrite(path: String, reason: String)
    /// The item records file could not be read, or a line of it (1-based; nil for the whole file) is invalid.
    case itemRecords(path: String, line: Int?, reason: String)
    /// A model reads item records and none were given.
    case itemRecordsRequired(model: String)
    /// `--task rating` needs a rating (`weight`) on every row; the 1-based line of the first without one.
    case ratingsRequired(line: Int)
    /// A model name that `evaluate --task rating` does not know.
    case unknownRatedModel(String)
    /// `--folds` below 2.
    case invalidFolds(Int)
    /// The relations file of `--task pairs` could not be read, or a row of it is invalid.
    case relations(path: String, reason: String)

    /// A message for the user, with the line or path involved.
    package var description: String {
        switch self {
        case let .input(error):
            error.description
        case let .invalidTestPercent(percent):
            "test percent \(percent) is outside 0…100"
        case let .invalidFraction(name, value):
            "--\(name) \(value) is outside its range (frac-users-train 0…1, frac-interactions-in above 0 up to 1)"
        case let .invalidCutoffs(ks):
            "cut-offs must be positive integers, got \(ks)"
        case let .unknownModel(name):
            "unknown model \"\(name)\" (known: \(EvaluatedModel.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .noTestUsers(split):
            "the \(split) split has no test users: not enough data to evaluate"
        case let .matrix(error):
            "cannot build the train matrix: \(error)"
        case let .fitFailed(model, reason):
            "fitting \(model) failed: \(reason)"
        case let .invalidGrid(spec, reason):
            "invalid --grid \"\(spec)\": \(reason)"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason)"
        case let .itemRecords(path, line, reason):
            line.map { "\(path):\($0): invalid item record: \(reason)" } ?? "\(path): \(reason)"
        case let .itemRecordsRequired(model):
            "\(model) needs item records (categories, labels, text): pass --items FILE.jsonl"
        case let .ratingsRequired(line):
            "line \(line): --task rating needs a weight (the rating) on every row"
        case let .unknownRatedModel(name):
            "unknown model \"\(name)\" for --task rating (known: \(RatedModel.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .invalidFolds(folds):
            "--folds must be at least 2, got \(folds)"
        case let .relations(path, reason):
            "\(path): \(reason)"
        }
    }
}
