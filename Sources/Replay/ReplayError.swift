import Evaluation

/// Why a replay could not run.
package enum ReplayError: Error, Sendable, CustomStringConvertible {
    /// `--replay` outside ``ReplayOptions/dayRange``.
    case invalidDays(Int)
    /// The store holds no attributed event, so there is nothing to replay.
    case noAttributedEvents
    /// The store could not be read.
    case store(reason: String)
    /// Building the matrices or fitting a candidate failed.
    case evaluation(EvaluationError)

    /// A message for the user.
    package var description: String {
        switch self {
        case let .invalidDays(days):
            "--replay takes \(ReplayOptions.dayRange.lowerBound) to \(ReplayOptions.dayRange.upperBound) days, got \(days)"
        case .noAttributedEvents:
            "the store has no attributed events (events that echo the recommendation_id of a list the service "
                + "remembered and name one of its items), so there is nothing to replay"
        case let .store(reason):
            "cannot read the store: \(reason)"
        case let .evaluation(error):
            error.description
        }
    }
}
