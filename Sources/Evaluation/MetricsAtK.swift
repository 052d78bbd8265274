/// The metrics of one model at one cut-off `k` (EVALUATION.md §5), means over the test users.
public struct MetricsAtK: Sendable, Equatable {
    /// The cut-off.
    public var k: Int
    /// Mean of `h / min(k, |T_u|)`.
    public var recall: Double
    /// Mean of `h / k`.
    public var precision: Double
    /// Share of users with at least one hit.
    public var hitRate: Double
    /// Mean binary-gain NDCG.
    public var ndcg: Double
    /// Mean average precision, normalised by `min(k, |T_u|)`.
    public var map: Double
    /// Distinct items in any user's top-k over the catalogue size (not averaged).
    public var coverage: Double
    /// Number of test users averaged over.
    public var users: Int
    /// Users whose list was shorter than `k`.
    public var shortLists: Int

    /// Creates a metrics record.
    public init(
        k: Int, recall: Double, precision: Double, hitRate: Double, ndcg: Double, map: Double,
        coverage: Double, users: Int, shortLists: Int
    ) {
        self.k = k
        self.recall = recall
        self.precision = precision
        self.hitRate = hitRate
        self.ndcg = ndcg
        self.map = map
        self.coverage = coverage
        self.users = users
        self.shortLists = shortLists
    }
}

extension MetricsAtK {
    /// The §8 metrics object (key order as documented).
    var json: JSONValue {
        .object([
            ("recall", .number(recall)),
            ("ndcg", .number(ndcg)),
            ("hit_rate", .number(hitRate)),
            ("map", .number(map)),
            ("precision", .number(precision)),
            ("coverage", .number(coverage)),
            ("users", .integer(users)),
            ("short_lists", .integer(shortLists)),
        ])
    }
}
