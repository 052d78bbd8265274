import JSON

/// Why a report JSON (`recsmith evaluate … --json`) could not be read back. Paths name the value as a
/// JavaScript expression would from the document: `models[2].metrics["10"].ndcg`.
package enum ReportDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not JSON, or it nests deeper than the caller allows.
    case syntax(JSONParseError)
    /// A required member is absent.
    case missing(path: String)
    /// A value of the wrong JSON type; `expected` says what was wanted ("a number", "an object").
    case mistyped(path: String, expected: String)
    /// A value of the right type that the report cannot hold, e.g. a cut-off key that is not a positive integer.
    case invalid(path: String, reason: String)
    /// A `protocol` this build does not read; `accepted` lists those it reads for the document's task.
    case unsupportedProtocol(String, accepted: [String])
    /// A `task` other than ranking, rating and pairs.
    case unknownTask(String)

    /// One line naming the place and the problem.
    package var description: String {
        switch self {
        case let .syntax(error):
            "not a report: \(error)"
        case let .missing(path):
            "\(path): required member is missing"
        case let .mistyped(path, expected):
            "\(Self.display(path)): expected \(expected)"
        case let .invalid(path, reason):
            "\(Self.display(path)): \(reason)"
        case let .unsupportedProtocol(name, accepted):
            "protocol \"\(name)\" is not supported (expected \(accepted.map { "\"\($0)\"" }.joined(separator: " or ")))"
        case let .unknownTask(task):
            "task \"\(task)\" is unknown (known: \(EvaluationTask.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }

    /// The document itself has the empty path.
    private static func display(_ path: String) -> String {
        path.isEmpty ? "the document" : path
    }
}
