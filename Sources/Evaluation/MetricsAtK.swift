import JSON

/// The metrics of one model at one cut-off `k` (docs/EVALUATION.md §5), means over the test users.
package struct MetricsAtK: Sendable, Equatable {
    /// The cut-off.
    package var k: Int
    /// Mean of `h / min(k, |T_u|)`.
    package var recall: Double
    /// Mean of `h / k`.
    package var precision: Double
    /// Share of users with at least one hit.
    package var hitRate: Double
    /// Mean binary-gain NDCG.
    package var ndcg: Double
    /// Mean average precision, normalised by `min(k, |T_u|)`.
    package var map: Double
    /// Distinct items in any user's top-k over the catalogue size (not averaged).
    package var coverage: Double
    /// Mean train-popularity percentile (``PopularityPercentiles``) of the items in the top-k lists, every list
    /// entry counting once; nil when not measured (learning-curve points, the training hold-out).
    package var popularityPercentile: Double?
    /// Number of test users averaged over.
    package var users: Int
    /// Users whose list was shorter than `k`.
    package var shortLists: Int

    /// Creates a metrics record.
    package init(
        k: Int, recall: Double, precision: Double, hitRate: Double, ndcg: Double, map: Double,
        coverage: Double, users: Int, shortLists: Int, popularityPercentile: Double? = nil
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
        self.popularityPercentile = popularityPercentile
    }
}

extension MetricsAtK {
    /// The §8 metrics object (key order as documented); `popularity_percentile` when measured.
    var json: JSONValue {
        .object(rateMembers + [("users", .integer(users)), ("short_lists", .integer(shortLists))])
    }

    /// The rates only, in the §8 order: the shape of `metrics_sd` (§9).
    var spreadJSON: JSONValue {
        .object(rateMembers)
    }

    private var rateMembers: [(key: String, value: JSONValue)] {
        var members: [(key: String, value: JSONValue)] = [
            ("recall", .number(recall)),
            ("ndcg", .number(ndcg)),
            ("hit_rate", .number(hitRate)),
            ("map", .number(map)),
            ("precision", .number(precision)),
            ("coverage", .number(coverage)),
        ]
        if let popularityPercentile { members.append(("popularity_percentile", .number(popularityPercentile))) }
        return members
    }
}
