import JSON

extension GridSearchResult {
    /// Reads one object of `grid` (§8), the inverse of ``json``. `best` must equal one trial's `params` (member
    /// order included); the first such trial is the best, as the search picks the first on ties.
    package init(json: JSONValue) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json))
    }

    init(_ node: ReportNode) throws(ReportDecodingError) {
        let trials = try node.member("trials").elements().map { (trial) throws(ReportDecodingError) in
            Trial(parameters: try trial.parameters("params"), score: try trial.member("score").double())
        }
        let best = try node.parameters("best")
        let matchesBest = { (trial: Trial) in
            trial.parameters.elementsEqual(best) { $0.name == $1.name && $0.value == $1.value }
        }
        guard let bestIndex = trials.firstIndex(where: matchesBest) else {
            throw .invalid(path: try node.member("best").path, reason: "matches the params of no trial")
        }
        self.init(
            model: try node.member("model").string(), metric: try node.member("metric").string(), trials: trials,
            bestIndex: bestIndex, validation: try SplitSummary(node.member("validation")))
    }
}
