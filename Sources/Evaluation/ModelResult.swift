import JSON

/// One model's figures.
package struct ModelResult: Sendable {
    /// The model's name on the command line (`pop`, `als`, …).
    package var model: String
    /// Hyper-parameters, in a stable order.
    package var parameters: [(name: String, value: JSONValue)]
    /// Wall time of fitting only, seconds (scoring a learning curve excluded); the mean over runs with `--seeds`.
    package var fitSeconds: Double
    /// Wall time of one batch of top-N for all test users, seconds; the mean over runs with `--seeds`.
    package var recommendSeconds: Double
    /// Metrics per cut-off, ascending `k`; the means over runs with `--seeds`.
    package var metrics: [MetricsAtK]
    /// How the model folded in the held-out users of strong generalization (``EvaluatedModel/foldIn``); nil for
    /// the other splits.
    package var foldIn: String?
    /// What ``curve`` measures, e.g. `ndcg@10`; nil without a curve.
    package var curveMetric: String?
    /// The learning curve (`--curve`, iterative models only): one point per epoch; with `--seeds` the first run's.
    package var curve: [CurvePoint]
    /// The seed of this run, when it is one of several (`--seeds`).
    package var seed: UInt64?
    /// The runs, one per seed, whose means this result holds (`--seeds`, seeded models); empty otherwise.
    package var runs: [ModelResult]
    /// Sample standard deviations of the metrics over ``runs``, per cut-off (`users` and `short_lists` unused);
    /// empty without runs.
    package var metricsSD: [MetricsAtK]

    /// Creates a result.
    package init(
        model: String, parameters: [(name: String, value: JSONValue)], fitSeconds: Double,
        recommendSeconds: Double, metrics: [MetricsAtK], foldIn: String? = nil, curveMetric: String? = nil,
        curve: [CurvePoint] = [], seed: UInt64? = nil
    ) {
        self.model = model
        self.parameters = parameters
        self.fitSeconds = fitSeconds
        self.recommendSeconds = recommendSeconds
        self.metrics = metrics
        self.foldIn = foldIn
        self.curveMetric = curveMetric
        self.curve = curve
        self.seed = seed
        self.runs = []
        self.metricsSD = []
    }

    /// The metrics at cut-off `k`, if computed.
    package func metrics(atK k: Int) -> MetricsAtK? {
        metrics.first { $0.k == k }
    }

    /// The standard deviations at cut-off `k`, when the model ran once per seed.
    package func metricsSD(atK k: Int) -> MetricsAtK? {
        metricsSD.first { $0.k == k }
    }

    /// The §8 object; §9 adds `fold_in`, `metrics_sd`, `curve_metric` and `curve`, `seeds` and `runs` when present.
    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("model", .string(model)),
            ("params", .object(parameters.map { (key: $0.name, value: $0.value) })),
        ]
        if let foldIn { members.append(("fold_in", .string(foldIn))) }
        members += [
            ("fit_s", .number(fitSeconds)),
            ("recommend_s", .number(recommendSeconds)),
            ("metrics", .object(metrics.map { (key: String($0.k), value: $0.json) })),
        ]
        if !metricsSD.isEmpty {
            members.append(("metrics_sd", .object(metricsSD.map { (key: String($0.k), value: $0.spreadJSON) })))
        }
        if let curveMetric {
            members.append(("curve_metric", .string(curveMetric)))
            members.append(("curve", .array(curve.map(\.json))))
        }
        if !runs.isEmpty {
            members.append(("seeds", .array(runs.map { Self.seedJSON($0.seed ?? 0) })))
            members.append(("runs", .array(runs.map(\.runJSON))))
        }
        return .object(members)
    }

    /// One run of several: its seed, times, metrics and curve.
    private var runJSON: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("seed", Self.seedJSON(seed ?? 0)),
            ("fit_s", .number(fitSeconds)),
            ("recommend_s", .number(recommendSeconds)),
            ("metrics", .object(metrics.map { (key: String($0.k), value: $0.json) })),
        ]
        if curveMetric != nil { members.append(("curve", .array(curve.map(\.json)))) }
        return .object(members)
    }

    /// A seed as a JSON integer (a number above `Int.max`).
    package static func seedJSON(_ seed: UInt64) -> JSONValue {
        seed <= UInt64(Int.max) ? .integer(Int(seed)) : .number(Double(seed))
    }
}
