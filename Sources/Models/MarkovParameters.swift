/// Hyper-parameters of `Markov` (first-order item → next-item transitions).
package struct MarkovParameters: Sendable, Codable, Equatable {
    /// `α`, pseudo-transitions added to every item's outgoing counts, spread over the next items in proportion
    /// to their popularity (additive smoothing with a popularity prior): `P(j | i) = (c_ij + α·p_j) / (c_i + α)`.
    /// An item seldom followed leans on popularity; one followed often speaks for itself. Must be > 0. Default 1.
    package var smoothing: Float
    /// How many of the user's latest items vote for the next one. Must be ≥ 1. Default 3.
    package var window: Int
    /// Weight of each older item in the window relative to the one after it: the latest item weighs 1, the one
    /// before `decay`, then `decay²`… In (0, 1]. Default 0.5.
    package var decay: Float

    /// Defaults unless given.
    package init(smoothing: Float = 1, window: Int = 3, decay: Float = 0.5) {
        self.smoothing = smoothing
        self.window = window
        self.decay = decay
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = MarkovParameters()
        smoothing = try container.decodeIfPresent(Float.self, forKey: .smoothing) ?? defaults.smoothing
        window = try container.decodeIfPresent(Int.self, forKey: .window) ?? defaults.window
        decay = try container.decodeIfPresent(Float.self, forKey: .decay) ?? defaults.decay
    }

    func validate() throws(ModelError) {
        guard smoothing > 0, smoothing.isFinite else {
            throw .invalidParameter(kind: .markov, name: "smoothing", value: "\(smoothing)", reason: "must be > 0 and finite")
        }
        guard window >= 1 else {
            throw .invalidParameter(kind: .markov, name: "window", value: "\(window)", reason: "must be ≥ 1")
        }
        guard decay > 0, decay <= 1 else {
            throw .invalidParameter(kind: .markov, name: "decay", value: "\(decay)", reason: "must be in (0, 1]")
        }
    }
}
