import JSON

/// One model's figures.
package struct ModelResult: Sendable {
    /// The model's name on the command line (`pop`, `als`, …).
    package var model: String
    /// Hyper-parameters, in a stable order.
    package var parameters: [(name: String, value: JSONValue)]
    /// Wall time of fitting only, seconds.
    package var fitSeconds: Double
    /// Wall time of one batch of top-N for all test users, seconds.
    package var recommendSeconds: Double
    /// Metrics per cut-off, ascending `k`.
    package var metrics: [MetricsAtK]

    /// Creates a result.
    package init(
        model: String, parameters: [(name: String, value: JSONValue)], fitSeconds: Double,
        recommendSeconds: Double, metrics: [MetricsAtK]
    ) {
        self.model = model
        self.parameters = parameters
        self.fitSeconds = fitSeconds
        self.recommendSeconds = recommendSeconds
        self.metrics = metrics
    }

    /// The metrics at cut-off `k`, if computed.
    package func metrics(atK k: Int) -> MetricsAtK? {
        metrics.first { $0.k == k }
    }

    var json: JSONValue {
        .object([
            ("model", .string(model)),
            ("params", .object(parameters.map { (key: $0.name, value: $0.value) })),
            ("fit_s", .number(fitSeconds)),
            ("recommend_s", .number(recommendSeconds)),
            ("metrics", .object(metrics.map { (key: String($0.k), value: $0.json) })),
        ])
    }
}
