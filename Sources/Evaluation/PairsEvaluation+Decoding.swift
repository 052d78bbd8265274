import JSON
import Models

extension PairsEvaluation.Report {
    /// Reads a `--task pairs` report (§9), the inverse of ``json``. A model's `metrics.from_items` repeats the
    /// split's and is not read.
    package init(json: JSONValue) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json))
    }

    init(_ node: ReportNode) throws(ReportDecodingError) {
        _ = try node.protocolName(accepting: [EvaluationReport.version2])
        let split = try node.member("split")
        relations = try split.member("relations").integer()
        items = try split.member("items").integer()
        trainPairs = try split.member("train_pairs").integer()
        heldOut = try split.member("held_out").integer()
        fromItems = try split.member("from_items").integer()
        fingerprints = SplitFingerprints(
            train: try split.member("fingerprint_train_sha256").string(), test: try split.member("fingerprint_test_sha256").string())
        seed = try node.member("seed").seed()
        results = try node.member("models").elements().map(Result.init)
    }
}

extension PairsEvaluation.Report.Result {
    /// Reads one object of a pairs report's `models`. The report omits pair MF's `threads`, which therefore
    /// reads as its default.
    init(_ node: ReportNode) throws(ReportDecodingError) {
        let name = try node.member("model")
        guard let model = PairsEvaluation.Model(rawValue: try name.string()) else {
            throw .invalid(path: name.path, reason: "not a pair model (pairmf or pairmf-nobias)")
        }
        let params = try node.member("params")
        let parameters = PairMFParameters(
            factors: try params.member("factors").integer(),
            learningRate: Float(try params.member("learning_rate").double()),
            regularization: Float(try params.member("regularization").double()),
            negatives: try params.member("negatives").integer(), epochs: try params.member("epochs").integer(),
            biases: try params.member("biases").bool())
        self.init(
            model: model, parameters: parameters, fitSeconds: try node.member("fit_s").double(),
            auc: try node.member("metrics").member("auc").double(),
            curve: try node.optionalMember("curve")?.elements().map(CurvePoint.init) ?? [])
    }
}
