import JSON

/// The outcome of one `recsmith evaluate` run, in the shape of docs/EVALUATION.md §8 (§9 for version 2).
package struct EvaluationReport: Sendable {
    /// The protocol identifier of runs that use nothing from §9.
    package static let version1 = "recsmith-eval-v1"
    /// The protocol identifier of runs that use strong generalization, curves or several seeds (§9).
    package static let version2 = "recsmith-eval-v2"

    /// Sizes and fingerprints of the split.
    package var split: SplitSummary
    /// Cut-offs, ascending.
    package var ks: [Int]
    /// The seed every model was fitted with (the first of ``seeds`` when there are several).
    package var seed: UInt64
    /// One result per evaluated model, in the order requested.
    package var models: [ModelResult]
    /// Grid-search outcomes, one per searched model (empty without `--grid`).
    package var grid: [GridSearchResult]
    /// The seeds of `--seeds` (`seed` is the first); empty for a run with one seed.
    package var seeds: [UInt64]
    /// ``version1`` or ``version2``.
    package var protocolName: String

    /// Creates a report.
    package init(
        split: SplitSummary, ks: [Int], seed: UInt64, models: [ModelResult], grid: [GridSearchResult] = [],
        seeds: [UInt64] = [], protocolName: String = EvaluationReport.version1
    ) {
        self.split = split
        self.ks = ks
        self.seed = seed
        self.models = models
        self.grid = grid
        self.seeds = seeds
        self.protocolName = protocolName
    }

    /// The §8 JSON object. A `"grid"` member is added only when a grid search ran, `"seeds"` only with `--seeds`.
    package var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("protocol", .string(protocolName)),
            ("split", split.json),
            ("ks", .array(ks.map { .integer($0) })),
            ("seed", ModelResult.seedJSON(seed)),
        ]
        if !seeds.isEmpty { members.append(("seeds", .array(seeds.map(ModelResult.seedJSON)))) }
        members.append(("models", .array(models.map(\.json))))
        if !grid.isEmpty {
            members.append(("grid", .array(grid.map(\.json))))
        }
        return .object(members)
    }
}
