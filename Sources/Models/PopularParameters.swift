/// Hyper-parameters of `Popular`.
package struct PopularParameters: Sendable, Codable, Equatable {
    /// Count users (one per stored pair) instead of summing interaction weights. Default false: the score
    /// is the summed weight. On binary data (every weight 1, as in evaluation) both give the same scores.
    package var binary: Bool

    /// Defaults unless given.
    package init(binary: Bool = false) {
        self.binary = binary
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        binary = try container.decodeIfPresent(Bool.self, forKey: .binary) ?? false
    }
}
