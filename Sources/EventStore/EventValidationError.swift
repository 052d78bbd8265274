/// Why a batch of events was refused as a whole (nothing from it may be stored).
package enum EventValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The batch holds more events than allowed.
    case batchTooLarge(count: Int, limit: Int)
    /// At least one event broke a rule; every bad index and field is listed, in order.
    case invalidEvents([ValidationIssue])

    /// A one-line summary.
    package var description: String {
        switch self {
        case .batchTooLarge(let count, let limit):
            "batch of \(count) events exceeds the limit of \(limit)"
        case .invalidEvents(let issues):
            "\(issues.count) invalid field(s): " + issues.prefix(5).map(\.description).joined(separator: "; ")
                + (issues.count > 5 ? "; …" : "")
        }
    }
}
