import JSON
import Models

/// Hyper-parameter search for one model: every combination of its `--grid` axes is fitted on the validation
/// split's train pairs and scored on its test pairs; the best NDCG at the smallest cut-off wins (the first
/// setting in grid order on ties).
struct GridSearch {
    let runner: EvaluationRunner
    let ks: [Int]

    /// Searches `model` over `axes`, starting from `base` (`itemDocuments` aligned to the validation catalogue);
    /// returns the report and `base` with the best values.
    func run(
        _ model: EvaluatedModel, axes: [GridAxis], base: ModelParameters, validation: EvaluationSplit,
        itemDocuments: [ItemDocument?]?, validationSummary: SplitSummary
    ) throws(EvaluationError) -> (report: GridSearchResult, bestParameters: ModelParameters) {
        let k = ks.first ?? 0
        var trials: [GridSearchResult.Trial] = []
        var bestIndex = 0
        var bestParameters = base
        let settings = GridAxis.combinations(axes)
        for (number, setting) in settings.enumerated() {
            let described = setting.map { "\($0.parameter.name)=\($0.parameter.reported($0.value).serialized(indent: 0))" }
            runner.progress("grid \(model.rawValue) \(number + 1)/\(settings.count) on validation: \(described.joined(separator: " "))")
            var parameters = base
            for (parameter, value) in setting {
                parameter.apply(value, to: &parameters)
            }
            let result = try runner.evaluate(
                model, parameters: parameters, on: validation, itemDocuments: itemDocuments, ks: ks)
            let score = result.metrics(atK: k)?.ndcg ?? 0
            trials.append(.init(parameters: setting.map { ($0.parameter.name, $0.parameter.reported($0.value)) }, score: score))
            if trials.count == 1 || score > trials[bestIndex].score {
                bestIndex = trials.count - 1
                bestParameters = parameters
            }
        }
        let report = GridSearchResult(
            model: model.rawValue, metric: "ndcg@\(k)", trials: trials, bestIndex: bestIndex,
            validation: validationSummary)
        return (report, bestParameters)
    }
}
