import JSON

extension RatingReport {
    /// Reads a `--task rating` report (§9), the inverse of ``json``. The means a model writes (`rmse`, `mae`,
    /// `fit_s`) are not read: they are recomputed from its folds, as the writer computed them.
    package init(json: JSONValue) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json))
    }

    init(_ node: ReportNode) throws(ReportDecodingError) {
        _ = try node.protocolName(accepting: [EvaluationReport.version2])
        let split = try node.member("split")
        self.init(
            folds: try split.member("folds").integer(), ratings: try split.member("ratings").integer(),
            users: try split.member("users").integer(), items: try split.member("items").integer(),
            seed: try node.member("seed").seed(), models: try node.member("models").elements().map(RatingResult.init),
            fingerprints: try split.member("fold_fingerprints").elements().map { fold throws(ReportDecodingError) in
                SplitFingerprints(
                    train: try fold.member("fingerprint_train_sha256").string(), test: try fold.member("fingerprint_test_sha256").string())
            })
    }
}

extension RatingResult {
    /// Reads one object of a rating report's `models`, the inverse of ``json``.
    init(_ node: ReportNode) throws(ReportDecodingError) {
        self.init(
            model: try node.member("model").string(), parameters: try node.parameters("parameters"),
            folds: try node.member("folds").elements().map(RatingFoldResult.init),
            curve: try node.optionalMember("curve")?.elements().map(CurvePoint.init) ?? [])
    }
}

extension RatingFoldResult {
    /// Reads one object of a rating model's `folds`, the inverse of ``json``.
    init(_ node: ReportNode) throws(ReportDecodingError) {
        self.init(
            fold: try node.member("fold").integer(), trainPairs: try node.member("train").integer(),
            testPairs: try node.member("test").integer(), unknownPairs: try node.member("unknown").integer(),
            rmse: try node.member("rmse").double(), mae: try node.member("mae").double(),
            fitSeconds: try node.member("fit_s").double())
    }
}
