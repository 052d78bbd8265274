import JSON

extension MetricsAtK {
    /// Reads one cut-off's object of `metrics` (§8), the inverse of ``json``; `k` is its key.
    package init(json: JSONValue, k: Int) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json), k: k)
    }

    init(_ node: ReportNode, k: Int) throws(ReportDecodingError) {
        try self.init(
            k: k, recall: node.member("recall").double(), precision: node.member("precision").double(),
            hitRate: node.member("hit_rate").double(), ndcg: node.member("ndcg").double(), map: node.member("map").double(),
            coverage: node.member("coverage").double(), users: node.member("users").integer(),
            shortLists: node.member("short_lists").integer(),
            popularityPercentile: node.optionalMember("popularity_percentile")?.double())
    }

    /// Reads one cut-off's object of `metrics_sd` (§9), the inverse of ``spreadJSON``: the rates only, so `users`
    /// is given (the means' at the same cut-off, as ``standardDeviation(of:)`` sets it) and `short_lists` is 0.
    init(spread node: ReportNode, k: Int, users: Int) throws(ReportDecodingError) {
        try self.init(
            k: k, recall: node.member("recall").double(), precision: node.member("precision").double(),
            hitRate: node.member("hit_rate").double(), ndcg: node.member("ndcg").double(), map: node.member("map").double(),
            coverage: node.member("coverage").double(), users: users, shortLists: 0,
            popularityPercentile: node.optionalMember("popularity_percentile")?.double())
    }

    /// The members of an object keyed by cut-off (`metrics`, `metrics_sd`) with their `k`, in the document's
    /// order. A key must be a positive integer written as ``json`` writes one, so that it is written back the same.
    static func cutoffs(of node: ReportNode) throws(ReportDecodingError) -> [(k: Int, node: ReportNode)] {
        try node.members().map { (key, member) throws(ReportDecodingError) in
            guard let k = Int(key), k > 0, String(k) == key else {
                throw .invalid(path: member.path, reason: "a cut-off key must be a positive integer")
            }
            return (k, member)
        }
    }
}
