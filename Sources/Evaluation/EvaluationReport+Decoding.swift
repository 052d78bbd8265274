import JSON

extension EvaluationReport {
    /// Reads a ranking report (§8; §9 for `recsmith-eval-v2`), the inverse of ``json``: `EvaluationReport(json:
    /// report.json).json` is `report.json`. Members the writer does not write are ignored, so a newer writer's
    /// additions do not stop an older reader; a missing or mistyped member is an error naming its path.
    package init(json: JSONValue) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json))
    }

    init(_ node: ReportNode) throws(ReportDecodingError) {
        let protocolName = try node.protocolName(accepting: [Self.version1, Self.version2])
        self.init(
            split: try SplitSummary(node.member("split")),
            ks: try node.member("ks").elements().map { (k) throws(ReportDecodingError) in try k.integer() },
            seed: try node.member("seed").seed(),
            models: try node.member("models").elements().map(ModelResult.init),
            grid: try node.optionalMember("grid")?.elements().map(GridSearchResult.init) ?? [],
            seeds: try node.optionalMember("seeds")?.elements().map { (seed) throws(ReportDecodingError) in try seed.seed() } ?? [],
            protocolName: protocolName)
    }
}
