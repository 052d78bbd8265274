/// One `--grid` option: a model's parameter and the values to try, e.g. `als.factors=32,64,128`.
package struct GridAxis: Sendable {
    /// The model searched.
    package let model: EvaluatedModel
    /// The parameter varied.
    package let parameter: TunableParameter
    /// Values to try, in the order given.
    package let values: [Double]

    /// Parses `model.parameter=v1,v2,…`.
    package init(parsing spec: String) throws(EvaluationError) {
        func invalid(_ reason: String) -> EvaluationError { .invalidGrid(spec: spec, reason: reason) }
        guard let equals = spec.firstIndex(of: "=") else { throw invalid("expected model.parameter=v1,v2,…") }
        let target = spec[..<equals]
        guard let dot = target.firstIndex(of: ".") else { throw invalid("expected model.parameter before \"=\"") }
        let modelName = String(target[..<dot]), parameterName = String(target[target.index(after: dot)...])
        guard let model = EvaluatedModel(rawValue: modelName == "popular" ? "pop" : modelName) else {
            throw invalid("unknown model \"\(modelName)\"")
        }
        guard let parameter = model.tunableParameter(named: parameterName) else {
            let known = model.tunableParameters.map(\.name)
            throw invalid(
                "\(model.rawValue) has no parameter \"\(parameterName)\""
                    + (known.isEmpty ? " (it has none)" : " (known: \(known.joined(separator: ", ")))"))
        }
        var values: [Double] = []
        for text in spec[spec.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false) {
            if !parameter.choices.isEmpty {
                guard let position = parameter.choices.firstIndex(of: String(text)) else {
                    throw invalid("\(parameterName) takes \(parameter.choices.joined(separator: ", ")), got \"\(text)\"")
                }
                values.append(Double(position))
                continue
            }
            guard let value = Double(text), value.isFinite else { throw invalid("\"\(text)\" is not a number") }
            guard !parameter.isInteger || value == value.rounded() && value.magnitude < 1e9 else {
                throw invalid("\(parameterName) takes whole numbers, got \(text)")
            }
            values.append(value)
        }
        self.model = model
        self.parameter = parameter
        self.values = values
    }

    /// Every combination of the axes' values (the first axis varies slowest), as parameter settings.
    static func combinations(_ axes: [GridAxis]) -> [[(parameter: TunableParameter, value: Double)]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [(axis.parameter, $0)] } }
        }
    }
}
