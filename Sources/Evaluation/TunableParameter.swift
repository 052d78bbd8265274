import JSON
import Models

/// One hyper-parameter that can be reported and searched: its protocol name and its place in ``ModelParameters``.
package struct TunableParameter: Sendable {
    /// The name in JSON and in `--grid` (e.g. `factors`, `learning_rate`, `K`).
    package let name: String
    /// Whether values must be whole numbers.
    package let isInteger: Bool
    /// The names a choice parameter takes (values are positions in this list); empty for numbers.
    package let choices: [String]
    private let read: @Sendable (ModelParameters) -> JSONValue
    private let write: @Sendable (inout ModelParameters, Double) -> Void

    private init(
        name: String, isInteger: Bool, choices: [String] = [], read: @escaping @Sendable (ModelParameters) -> JSONValue,
        write: @escaping @Sendable (inout ModelParameters, Double) -> Void
    ) {
        self.name = name
        self.isInteger = isInteger
        self.choices = choices
        self.read = read
        self.write = write
    }

    static func integer(_ name: String, _ path: any WritableKeyPath<ModelParameters, Int> & Sendable) -> TunableParameter {
        TunableParameter(
            name: name, isInteger: true, read: { .integer($0[keyPath: path]) },
            write: { $0[keyPath: path] = Int($1) })
    }

    static func real(_ name: String, _ path: any WritableKeyPath<ModelParameters, Float> & Sendable) -> TunableParameter {
        // Through the shortest decimal text, so 0.05 as Float reports as 0.05, not 0.05000000074505806.
        TunableParameter(
            name: name, isInteger: false, read: { wholeAsInteger(Double($0[keyPath: path].description) ?? 0) },
            write: { $0[keyPath: path] = Float($1) })
    }

    static func seconds(_ name: String, _ path: any WritableKeyPath<ModelParameters, Double> & Sendable) -> TunableParameter {
        TunableParameter(
            name: name, isInteger: false,
            read: { wholeAsInteger($0[keyPath: path]) }, write: { $0[keyPath: path] = $1 })
    }

    /// A parameter that takes one of `Value`'s names, reported as a string; a grid names the values.
    static func choice<Value: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ path: any WritableKeyPath<ModelParameters, Value> & Sendable
    ) -> TunableParameter where Value.RawValue == String, Value.AllCases: Sendable {
        let cases = Array(Value.allCases)
        return TunableParameter(
            name: name, isInteger: true, choices: cases.map(\.rawValue), read: { .string($0[keyPath: path].rawValue) },
            write: { $0[keyPath: path] = cases[Int($1)] })
    }

    /// The current value in `parameters`, as reported.
    package func value(in parameters: ModelParameters) -> JSONValue {
        read(parameters)
    }

    /// Sets the parameter to `value` (already validated: whole when ``isInteger``).
    package func apply(_ value: Double, to parameters: inout ModelParameters) {
        write(&parameters, value)
    }

    /// How `value` is reported.
    func reported(_ value: Double) -> JSONValue {
        if !choices.isEmpty { return .string(choices[Int(value)]) }
        return isInteger ? .integer(Int(value)) : Self.wholeAsInteger(value)
    }

    /// Whole values as JSON integers (`"alpha": 10`, as in docs/EVALUATION.md §8), others as numbers.
    private static func wholeAsInteger(_ value: Double) -> JSONValue {
        value == value.rounded() && value.magnitude < 1e15 ? .integer(Int(value)) : .number(value)
    }
}
