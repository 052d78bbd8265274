/// A JSON value with object keys kept in insertion order, so output matches the protocol's layout.
package enum JSONValue: Sendable, Equatable {
    /// A string (escaped on output).
    case string(String)
    /// A whole number, written without a fraction.
    case integer(Int)
    /// A float64, written in Swift's shortest round-trip form; non-finite values become `null`.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array.
    case array([JSONValue])
    /// An object whose members keep their order.
    case object([(key: String, value: JSONValue)])

    /// Structural equality, member order included.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null): true
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    /// The value of `key` in an object, else nil.
    package subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Whether this is neither an array nor an object.
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    /// JSON text with `indent` spaces per nesting level (0 = one line).
    package func serialized(indent: Int = 2) -> String {
        var output = ""
        write(to: &output, indent: indent, level: 0)
        return output
    }

    private func write(to output: inout String, indent: Int, level: Int) {
        switch self {
        case let .string(text):
            appendJSONString(text, to: &output)
        case let .integer(value):
            output += String(value)
        case let .number(value):
            output += value.isFinite ? value.description : "null"
        case let .bool(value):
            output += value ? "true" : "false"
        case .null:
            output += "null"
        case let .array(elements):
            // Arrays of scalars (such as `"ks": [10, 20]`) stay on one line.
            let scalars = elements.allSatisfy(\.isScalar)
            writeContainer(
                elements.map { (nil, $0) }, open: "[", close: "]", to: &output, indent: scalars ? 0 : indent,
                level: level)
        case let .object(members):
            writeContainer(members.map { ($0.key, $0.value) }, open: "{", close: "}", to: &output, indent: indent, level: level)
        }
    }

    private func writeContainer(
        _ entries: [(String?, JSONValue)], open: String, close: String, to output: inout String, indent: Int, level: Int
    ) {
        output += open
        guard !entries.isEmpty else {
            output += close
            return
        }
        let inner = indent > 0 ? "\n" + String(repeating: " ", count: indent * (level + 1)) : ""
        for (position, (key, value)) in entries.enumerated() {
            if position > 0 { output += indent > 0 ? "," : ", " }
            output += inner
            if let key {
                appendJSONString(key, to: &output)
                output += ": "
            }
            value.write(to: &output, indent: indent, level: level + 1)
        }
        output += indent > 0 ? "\n" + String(repeating: " ", count: indent * level) + close : close
    }
}
