import JSON

/// The outcome of one `recsmith evaluate` run, in the shape of docs/EVALUATION.md §8.
package struct EvaluationReport: Sendable {
    /// The protocol identifier written to the JSON.
    package static let protocolName = "recsmith-eval-v1"

    /// Sizes and fingerprints of the split.
    package var split: SplitSummary
    /// Cut-offs, ascending.
    package var ks: [Int]
    /// The seed every model was fitted with.
    package var seed: UInt64
    /// One result per evaluated model, in the order requested.
    package var models: [ModelResult]
    /// Grid-search outcomes, one per searched model (empty without `--grid`).
    package var grid: [GridSearchResult]

    /// Creates a report.
    package init(split: SplitSummary, ks: [Int], seed: UInt64, models: [ModelResult], grid: [GridSearchResult] = []) {
        self.split = split
        self.ks = ks
        self.seed = seed
        self.models = models
        self.grid = grid
    }

    /// The §8 JSON object. A `"grid"` member is added only when a grid search ran.
    package var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("protocol", .string(Self.protocolName)),
            ("split", split.json),
            ("ks", .array(ks.map { .integer($0) })),
            ("seed", seed <= UInt64(Int.max) ? .integer(Int(seed)) : .number(Double(seed))),
            ("models", .array(models.map(\.json))),
        ]
        if !grid.isEmpty {
            members.append(("grid", .array(grid.map(\.json))))
        }
        return .object(members)
    }
}
