import Models
import Serving

/// What a `Trainer` needs to know: which models to fit and how, when passes start by themselves, and where
/// the model snapshots go. The service fills it from its configuration; `recsmith train` too.
package struct TrainerSettings: Sendable {
    /// Models fitted on every pass, in order of preference.
    package var models: [ModelKind]
    /// Hyper-parameters of every model.
    package var parameters: ModelParameters
    /// Seed of every model's random initialisation.
    package var seed: UInt64
    /// Directory the snapshot of each pass is written to (and loaded from at start).
    package var modelDirectory: String
    /// Time between scheduled passes; nil for on demand only (the first pass still starts by itself).
    package var retrainInterval: Duration?
    /// A scheduled pass is skipped when fewer new events than this arrived since the last one.
    package var minNewEvents: Int
    /// Growth of the store since the last pass (a share of its events) that starts a pass before the interval;
    /// 0 is off. Ignored when `retrainInterval` is nil.
    package var growth: Double
    /// When set, every pass chooses the default model on held-out events (`serving.model = auto`).
    package var selection: ModelSelection?
    /// Which models get an HNSW index over their item factors, built in the pass and persisted with them.
    package var indexing = ModelIndexing()

    package init(
        models: [ModelKind], parameters: ModelParameters = .init(), seed: UInt64 = 1, modelDirectory: String,
        retrainInterval: Duration? = nil, minNewEvents: Int = 1, growth: Double = 0, selection: ModelSelection? = nil,
        indexing: ModelIndexing = ModelIndexing()
    ) {
        self.models = models
        self.parameters = parameters
        self.seed = seed
        self.modelDirectory = modelDirectory
        self.retrainInterval = retrainInterval
        self.minNewEvents = minNewEvents
        self.growth = growth
        self.selection = selection
        self.indexing = indexing
    }
}

/// What a `Trainer` reports as it works (for metrics); each closure must be quick and thread-safe.
package struct TrainerObserver: Sendable {
    /// One phase of a pass ended: `read`, `matrix`, a model's name, `persist`; seconds it took.
    package var phaseEnded: @Sendable (_ phase: String, _ seconds: Double) -> Void
    /// A pass published a new model set.
    package var published: @Sendable (ModelSet) -> Void
    /// A pass failed; the previous models keep serving.
    package var failed: @Sendable () -> Void

    package init(
        phaseEnded: @escaping @Sendable (String, Double) -> Void = { _, _ in },
        published: @escaping @Sendable (ModelSet) -> Void = { _ in },
        failed: @escaping @Sendable () -> Void = {}
    ) {
        self.phaseEnded = phaseEnded
        self.published = published
        self.failed = failed
    }

    /// Reports nothing.
    package static let silent = TrainerObserver()
}
