import Evaluation

/// What `recsmith evaluate --replay` runs: the days, the cut-offs, the candidates and their shared settings.
package struct ReplayOptions: Sendable {
    /// The number of days `--replay` accepts.
    package static let dayRange = 1...365

    /// UTC days replayed, ending with the day of the latest attributed event; within ``dayRange``.
    package var days: Int
    /// Cut-offs: an event is a hit at `k` when its item is among the candidate's first `k` for its user.
    package var ks = [10]
    /// The candidates asked for; nil for `evaluate`'s default list. The models that served lists are replayed
    /// either way, so each candidate is compared with them on the same events.
    package var models: [EvaluatedModel]?
    /// Latent factors of ALS, BPR and SVD, as `evaluate --factors`.
    package var factors = 64
    /// Seed of every model's initialisation and sampling.
    package var seed: UInt64 = 1
    /// Events with a smaller weight are left out of the fits; nil keeps every event.
    package var minWeight: Double?

    /// Options for `days` days with `evaluate`'s defaults: k 10, its default models, 64 factors, seed 1, every event.
    package init(days: Int) {
        self.days = days
    }

    /// Throws when the days are outside ``dayRange`` or a cut-off is not positive.
    package func validate() throws(ReplayError) {
        guard Self.dayRange.contains(days) else { throw .invalidDays(days) }
        guard !ks.isEmpty, ks.allSatisfy({ $0 > 0 }) else { throw .evaluation(.invalidCutoffs(ks)) }
    }

    /// The cut-offs, ascending, each once.
    var cutoffs: [Int] { Array(Set(ks)).sorted() }
}
