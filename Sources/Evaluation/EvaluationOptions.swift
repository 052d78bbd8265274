/// What `recsmith evaluate` runs: split, cut-offs, models and their shared settings.
public struct EvaluationOptions: Sendable {
    /// How pairs are divided into train and test.
    public var split: SplitKind
    /// Cut-offs; the protocol's are 10 and 20.
    public var ks: [Int]
    /// Models to fit, in report order.
    public var models: [EvaluatedModel]
    /// Latent factors of ALS and BPR.
    public var factors: Int
    /// Seed for every model's random initialisation and sampling.
    public var seed: UInt64
    /// Rows with a smaller weight are dropped before anything else; nil keeps every row.
    public var minWeight: Double?
    /// Hyper-parameter axes to search on a validation split; empty for none.
    public var grid: [GridAxis]

    /// The protocol's defaults: cut-offs 10 and 20, every model, 64 factors, seed 1, no weight filter.
    public init(
        split: SplitKind, ks: [Int] = [10, 20], models: [EvaluatedModel] = EvaluatedModel.defaultList,
        factors: Int = 64, seed: UInt64 = 1, minWeight: Double? = nil, grid: [GridAxis] = []
    ) {
        self.split = split
        self.ks = ks
        self.models = models
        self.factors = factors
        self.seed = seed
        self.minWeight = minWeight
        self.grid = grid
    }

    /// The cut-offs, ascending and deduplicated; throws when empty or not positive.
    func validatedCutoffs() throws(EvaluationError) -> [Int] {
        let sorted = Array(Set(ks)).sorted()
        guard let first = sorted.first, first > 0 else { throw .invalidCutoffs(ks) }
        return sorted
    }
}
