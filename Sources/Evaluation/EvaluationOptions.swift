/// What `recsmith evaluate` runs: split, cut-offs, models and their shared settings.
package struct EvaluationOptions: Sendable {
    /// How pairs are divided into train and test.
    package var split: SplitKind
    /// Cut-offs; the protocol's are 10 and 20.
    package var ks: [Int]
    /// Models to fit, in report order.
    package var models: [EvaluatedModel]
    /// Latent factors of ALS, BPR and SVD.
    package var factors: Int
    /// Seed for every model's random initialisation and sampling; the first of ``seeds`` when those are given.
    package var seed: UInt64
    /// Rows with a smaller weight are dropped before anything else; nil keeps every row.
    package var minWeight: Double?
    /// Hyper-parameter axes to search on a validation split; empty for none.
    package var grid: [GridAxis]
    /// Seeds to run every seeded model with (``EvaluatedModel/isSeeded``), reporting means and standard
    /// deviations (`--seeds`); empty runs each model once with ``seed``.
    package var seeds: [UInt64]
    /// Score iterative models on the test data after every epoch (`--curve`).
    package var curve: Bool
    /// Hyper-parameters set for the whole run (`--set model.parameter=value`: one value per axis), applied before
    /// any grid search.
    package var settings: [GridAxis] = []

    /// The protocol's defaults: cut-offs 10 and 20, every model, 64 factors, seed 1, no weight filter, one run
    /// per model, no curves.
    package init(
        split: SplitKind, ks: [Int] = [10, 20], models: [EvaluatedModel] = EvaluatedModel.defaultList,
        factors: Int = 64, seed: UInt64 = 1, minWeight: Double? = nil, grid: [GridAxis] = [], seeds: [UInt64] = [],
        curve: Bool = false
    ) {
        self.split = split
        self.ks = ks
        self.models = models
        self.factors = factors
        self.seed = seeds.first ?? seed
        self.minWeight = minWeight
        self.grid = grid
        self.seeds = seeds
        self.curve = curve
    }

    /// Whether the run uses what `recsmith-eval-v2` adds (docs/EVALUATION.md §9): strong generalization, learning
    /// curves or several seeds. Reports of other runs keep `recsmith-eval-v1`.
    package var usesVersion2: Bool {
        split.holdsOutUsers || curve || !seeds.isEmpty
    }

    /// Throws when a requested model reads item records and none are `available`.
    func requireItemRecords(available: Bool) throws(EvaluationError) {
        guard !available, let model = models.first(where: \.needsItemDocuments) else { return }
        throw .itemRecordsRequired(model: model.rawValue)
    }

    /// The cut-offs, ascending and deduplicated; throws when empty or not positive.
    func validatedCutoffs() throws(EvaluationError) -> [Int] {
        let sorted = Array(Set(ks)).sorted()
        guard let first = sorted.first, first > 0 else { throw .invalidCutoffs(ks) }
        return sorted
    }
}
