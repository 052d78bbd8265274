/// A literal in a filter: a string, a number or a boolean.
///
/// Strings are equal only when their UTF-8 bytes are. (`String`'s own `==` equates canonically equivalent
/// strings such as "é" and "e\u{301}"; the contract compares strings exactly.) Numbers are always finite:
/// the parser rejects a literal that overflows a `Double`.
package enum FilterValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    package static func == (lhs: FilterValue, rhs: FilterValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(left), .string(right)): left.utf8.elementsEqual(right.utf8)
        case let (.number(left), .number(right)): left == right
        case let (.bool(left), .bool(right)): left == right
        default: false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .string(let string):
            hasher.combine(0)
            hasher.combine(string.utf8.count)
            for byte in string.utf8 { hasher.combine(byte) }
        case .number(let number):
            hasher.combine(1)
            hasher.combine(number)
        case .bool(let bool):
            hasher.combine(2)
            hasher.combine(bool)
        }
    }

    /// The literal as filter text: a JSON string, a JSON number (integers without a fraction), `true` or `false`.
    package var description: String {
        switch self {
        case .string(let string): FilterValue.quoted(string)
        case .number(let number): FilterValue.numberText(number)
        case .bool(let bool): bool ? "true" : "false"
        }
    }

    /// `number` as a JSON number that parses back to the same `Double`: integral values below 2^53 without a
    /// fraction (`50`, not `50.0`), others in Swift's shortest round-tripping form (`0.25`, `1e+300`).
    static func numberText(_ number: Double) -> String {
        if number.rounded() == number, number.magnitude < 0x1p53 {
            return String(Int64(number))
        }
        return number.description
    }

    /// `string` as a double-quoted JSON string; quotes, backslashes and control characters are escaped.
    static func quoted(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        result += "\""
        return result
    }
}
