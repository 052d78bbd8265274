import JSON

extension ModelResult {
    /// Reads one object of `models` (§8, with §9's `fold_in`, `metrics_sd`, `curve_metric`, `curve` and `runs`),
    /// the inverse of ``json``. A run takes the model's name, parameters, `fold_in` and curve metric; the model's
    /// `seeds` member is ignored, since the runs' seeds are written in its place.
    package init(json: JSONValue) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json))
    }

    init(_ node: ReportNode) throws(ReportDecodingError) {
        self.init(
            model: try node.member("model").string(), parameters: try node.parameters("params"),
            fitSeconds: try node.member("fit_s").double(), recommendSeconds: try node.member("recommend_s").double(),
            metrics: try Self.metrics(node), foldIn: try node.optionalMember("fold_in")?.string(),
            curveMetric: try node.optionalMember("curve_metric")?.string())
        if curveMetric != nil { curve = try node.member("curve").elements().map(CurvePoint.init) }
        if let spread = try node.optionalMember("metrics_sd") {
            metricsSD = try MetricsAtK.cutoffs(of: spread).map { (k, member) throws(ReportDecodingError) in
                try MetricsAtK(spread: member, k: k, users: metrics(atK: k)?.users ?? 0)
            }
        }
        if let runs = try node.optionalMember("runs") {
            self.runs = try runs.elements().map { (run) throws(ReportDecodingError) in try self.run(run) }
        }
    }

    /// One element of `runs`: this model with the run's seed, times, metrics and (with a curve metric) curve.
    private func run(_ node: ReportNode) throws(ReportDecodingError) -> ModelResult {
        var run = ModelResult(
            model: model, parameters: parameters, fitSeconds: try node.member("fit_s").double(),
            recommendSeconds: try node.member("recommend_s").double(), metrics: try Self.metrics(node), foldIn: foldIn,
            curveMetric: curveMetric, seed: try node.member("seed").seed())
        if curveMetric != nil { run.curve = try node.member("curve").elements().map(CurvePoint.init) }
        return run
    }

    /// The `metrics` member of a model or a run.
    private static func metrics(_ node: ReportNode) throws(ReportDecodingError) -> [MetricsAtK] {
        try MetricsAtK.cutoffs(of: node.member("metrics")).map { (k, member) throws(ReportDecodingError) in
            try MetricsAtK(member, k: k)
        }
    }
}
