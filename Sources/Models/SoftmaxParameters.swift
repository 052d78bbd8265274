/// Hyper-parameters of `SoftmaxPopularity` (recpack's randomised softmax popularity, `tau` and `K`).
package struct SoftmaxParameters: Sendable, Codable, Equatable {
    /// Temperature `τ`: item `i` is drawn with probability ∝ `exp(ln(count_i) / τ)` = `count_i^(1/τ)`. Default 1,
    /// recpack's "standard softmax" (draws in proportion to popularity; recpack's tutorial sets no default);
    /// towards 0 it approaches popularity's fixed ranking, large values approach uniform draws.
    package var temperature: Float
    /// Only the `candidates` most popular items are ever drawn (recpack's `K`, "to avoid ever recommending a very
    /// unpopular item"); 0 (default) draws from every item with events.
    package var candidates: Int

    /// Defaults unless given.
    package init(temperature: Float = 1, candidates: Int = 0) {
        self.temperature = temperature
        self.candidates = candidates
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SoftmaxParameters()
        temperature = try container.decodeIfPresent(Float.self, forKey: .temperature) ?? defaults.temperature
        candidates = try container.decodeIfPresent(Int.self, forKey: .candidates) ?? defaults.candidates
    }

    func validate() throws(ModelError) {
        guard temperature > 0, temperature.isFinite else {
            throw .invalidParameter(
                kind: .softmax, name: "temperature", value: "\(temperature)", reason: "must be positive and finite")
        }
        guard candidates >= 0 else {
            throw .invalidParameter(
                kind: .softmax, name: "candidates", value: "\(candidates)", reason: "must be 0 (every item) or more")
        }
    }
}
