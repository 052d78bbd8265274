/// How pairs are divided into train and test (docs/EVALUATION.md §3).
package enum SplitKind: Sendable, Equatable, CustomStringConvertible {
    /// Each user's most recent pair (ties by the largest item id) is held out, for users with ≥ 2 pairs.
    case leaveLastOut
    /// The globally latest `percent` % of pairs (by time, then user, then item) are held out.
    case temporal(percent: Int)

    /// The protocol's default test share for `temporal`.
    package static let defaultTemporalPercent = 10

    /// Parses the command-line name: `leave-last-out` or `temporal` (with `percent` for the latter).
    package init?(name: String, percent: Int = SplitKind.defaultTemporalPercent) {
        switch name {
        case "leave-last-out": self = .leaveLastOut
        case "temporal": self = .temporal(percent: percent)
        default: return nil
        }
    }

    /// The name used on the command line and in the JSON output.
    package var name: String {
        switch self {
        case .leaveLastOut: "leave-last-out"
        case .temporal: "temporal"
        }
    }

    /// The split's name with its test share, for progress lines.
    package var description: String {
        switch self {
        case .leaveLastOut: name
        case let .temporal(percent): "\(name) (\(percent)%)"
        }
    }
}
