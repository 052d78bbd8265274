/// How pairs are divided into train and test (docs/EVALUATION.md §3, §9).
package enum SplitKind: Sendable, Equatable, CustomStringConvertible {
    /// Each user's most recent pair (ties by the largest item id) is held out, for users with ≥ 2 pairs.
    case leaveLastOut
    /// The globally latest `percent` % of pairs (by time, then user, then item) are held out.
    case temporal(percent: Int)
    /// recpack's scenario: users are train or test users by a hash of their id; a test user's pairs are divided
    /// by a hash into the input the models fold them in from and the targets they are scored on.
    case strongGeneralization(usersTrain: Double, interactionsIn: Double)

    /// The protocol's default test share for `temporal`.
    package static let defaultTemporalPercent = 10
    /// The protocol's default share of training users for `strong-generalization` (recpack's example).
    package static let defaultUsersTrain = 0.7
    /// The protocol's default share of a test user's pairs used as input for `strong-generalization`.
    package static let defaultInteractionsIn = 0.8

    /// Parses the command-line name: `leave-last-out`, `temporal` (with `percent`) or `strong-generalization`
    /// (with `usersTrain` and `interactionsIn`).
    package init?(
        name: String, percent: Int = SplitKind.defaultTemporalPercent, usersTrain: Double = SplitKind.defaultUsersTrain,
        interactionsIn: Double = SplitKind.defaultInteractionsIn
    ) {
        switch name {
        case "leave-last-out": self = .leaveLastOut
        case "temporal": self = .temporal(percent: percent)
        case "strong-generalization": self = .strongGeneralization(usersTrain: usersTrain, interactionsIn: interactionsIn)
        default: return nil
        }
    }

    /// The name used on the command line and in the JSON output.
    package var name: String {
        switch self {
        case .leaveLastOut: "leave-last-out"
        case .temporal: "temporal"
        case .strongGeneralization: "strong-generalization"
        }
    }

    /// True for splits whose test users are not train users, so every model must fold them in (§9).
    package var holdsOutUsers: Bool {
        if case .strongGeneralization = self { return true }
        return false
    }

    /// The split that carves a validation split out of this one's train pairs for `--grid`: the same kind,
    /// except that strong generalization squares `usersTrain`, so the validation test users are the training users
    /// between the two thresholds (applying the rule unchanged would find no test user among training users).
    package var validationKind: SplitKind {
        if case let .strongGeneralization(usersTrain, interactionsIn) = self {
            return .strongGeneralization(usersTrain: usersTrain * usersTrain, interactionsIn: interactionsIn)
        }
        return self
    }

    /// The split's name with its shares, for progress lines.
    package var description: String {
        switch self {
        case .leaveLastOut: name
        case let .temporal(percent): "\(name) (\(percent)%)"
        case let .strongGeneralization(usersTrain, interactionsIn):
            "\(name) (users train \(usersTrain), interactions in \(interactionsIn))"
        }
    }
}
