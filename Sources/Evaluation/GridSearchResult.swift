import JSON

/// The outcome of a hyper-parameter search for one model on the validation split.
package struct GridSearchResult: Sendable {
    /// One setting that was tried, with its validation score.
    package struct Trial: Sendable {
        /// The searched parameters' values (other parameters keep their defaults).
        package var parameters: [(name: String, value: JSONValue)]
        /// The selection metric on the validation split.
        package var score: Double

        /// Creates a trial record.
        package init(parameters: [(name: String, value: JSONValue)], score: Double) {
            self.parameters = parameters
            self.score = score
        }
    }

    /// The model's name on the command line.
    package var model: String
    /// What was maximised, e.g. `ndcg@10`.
    package var metric: String
    /// Every setting tried, in grid order.
    package var trials: [Trial]
    /// Index in ``trials`` of the best setting (the first one on ties).
    package var bestIndex: Int
    /// The validation split the trials were scored on (carved from train like the test split).
    package var validation: SplitSummary

    /// Creates a result.
    package init(model: String, metric: String, trials: [Trial], bestIndex: Int, validation: SplitSummary) {
        self.model = model
        self.metric = metric
        self.trials = trials
        self.bestIndex = bestIndex
        self.validation = validation
    }

    /// The winning trial.
    package var best: Trial { trials[bestIndex] }

    var json: JSONValue {
        .object([
            ("model", .string(model)),
            ("metric", .string(metric)),
            ("validation", validation.json),
            ("best", .object(best.parameters.map { (key: $0.name, value: $0.value) })),
            ("trials", .array(trials.map { trial in
                .object([
                    ("params", .object(trial.parameters.map { (key: $0.name, value: $0.value) })),
                    ("score", .number(trial.score)),
                ])
            })),
        ])
    }
}
