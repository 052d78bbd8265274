/// Hyper-parameters of `Trending`.
package struct TrendingParameters: Sendable, Codable, Equatable {
    /// Half-life `h` of a pair's contribution, in seconds. Default 7 days (604,800 s).
    package var halfLifeSeconds: Double
    /// Reference time `t_ref` (unix seconds); nil (default) means the newest timestamp in the training data.
    package var referenceTime: Double?

    /// Defaults unless given.
    package init(halfLifeSeconds: Double = 7 * 86_400, referenceTime: Double? = nil) {
        self.halfLifeSeconds = halfLifeSeconds
        self.referenceTime = referenceTime
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrendingParameters()
        halfLifeSeconds = try container.decodeIfPresent(Double.self, forKey: .halfLifeSeconds) ?? defaults.halfLifeSeconds
        referenceTime = try container.decodeIfPresent(Double.self, forKey: .referenceTime)
    }

    func validate() throws(ModelError) {
        guard halfLifeSeconds > 0, halfLifeSeconds.isFinite else {
            throw .invalidParameter(
                kind: .trending, name: "halfLifeSeconds", value: "\(halfLifeSeconds)", reason: "must be positive")
        }
        if let referenceTime, !referenceTime.isFinite {
            throw .invalidParameter(
                kind: .trending, name: "referenceTime", value: "\(referenceTime)", reason: "must be finite")
        }
    }
}
