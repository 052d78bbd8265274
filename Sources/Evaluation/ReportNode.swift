import JSON

/// A value of a report JSON with its path from the document, so that every decoding error says where it is.
///
/// Numbers are read leniently in one way only: a Double field takes an integer (`1` for `1.0`), and `null`, which
/// is how the writer spells a non-finite value, reads as NaN.
struct ReportNode {
    /// The value at ``path``.
    let value: JSONValue
    /// Where ``value`` sits, e.g. `models[2].metrics["10"]`; empty for the document.
    let path: String

    /// The document's root.
    init(document: JSONValue) {
        value = document
        path = ""
    }

    private init(value: JSONValue, path: String) {
        self.value = value
        self.path = path
    }

    /// The member `key` of this object; an error when it is absent or this is not an object.
    func member(_ key: String) throws(ReportDecodingError) -> ReportNode {
        guard let member = try optionalMember(key) else { throw .missing(path: childPath(key)) }
        return member
    }

    /// The member `key` of this object, or nil when absent; an error when this is not an object.
    func optionalMember(_ key: String) throws(ReportDecodingError) -> ReportNode? {
        try members().first { $0.key == key }?.node
    }

    /// The members of this object, in order.
    func members() throws(ReportDecodingError) -> [(key: String, node: ReportNode)] {
        guard case let .object(members) = value else { throw .mistyped(path: path, expected: "an object") }
        return members.map { (key: $0.key, node: ReportNode(value: $0.value, path: childPath($0.key))) }
    }

    /// The elements of this array, in order.
    func elements() throws(ReportDecodingError) -> [ReportNode] {
        guard case let .array(elements) = value else { throw .mistyped(path: path, expected: "an array") }
        return elements.enumerated().map { ReportNode(value: $0.element, path: "\(path)[\($0.offset)]") }
    }

    func string() throws(ReportDecodingError) -> String {
        guard case let .string(text) = value else { throw .mistyped(path: path, expected: "a string") }
        return text
    }

    /// A count or other whole number, written as a JSON integer.
    func integer() throws(ReportDecodingError) -> Int {
        guard case let .integer(number) = value else { throw .mistyped(path: path, expected: "an integer") }
        return number
    }

    /// A float64: a JSON number, an integer, or `null` for NaN.
    func double() throws(ReportDecodingError) -> Double {
        switch value {
        case let .number(number): return number
        case let .integer(number): return Double(number)
        case .null: return .nan
        default: throw .mistyped(path: path, expected: "a number")
        }
    }

    func bool() throws(ReportDecodingError) -> Bool {
        guard case let .bool(flag) = value else { throw .mistyped(path: path, expected: "true or false") }
        return flag
    }

    /// A seed as ``ModelResult/seedJSON(_:)`` writes it: an integer, or a whole float64 above `Int.max`. That
    /// float is the seed rounded, up to 2^64 for the largest seeds (read as `UInt64.max`), so the seed read back
    /// may differ from the run's but writes the same number.
    func seed() throws(ReportDecodingError) -> UInt64 {
        switch value {
        case let .integer(number) where number >= 0:
            return UInt64(number)
        case let .number(number) where number == number.rounded() && number >= 0 && number <= 0x1p64:
            return UInt64(exactly: number) ?? .max
        default:
            throw .mistyped(path: path, expected: "a seed (a whole number from 0 to 2^64 − 1)")
        }
    }

    /// The hyper-parameters object under `key`, its values kept as they are.
    func parameters(_ key: String) throws(ReportDecodingError) -> [(name: String, value: JSONValue)] {
        try member(key).members().map { (name: $0.key, value: $0.node.value) }
    }

    /// Checks the document's `protocol` member against `accepted` and returns it.
    func protocolName(accepting accepted: [String]) throws(ReportDecodingError) -> String {
        let name = try member("protocol").string()
        guard accepted.contains(name) else { throw .unsupportedProtocol(name, accepted: accepted) }
        return name
    }

    /// `path.key`, or `path["key"]` when the key is not an ASCII identifier (a cut-off such as `"10"`).
    private func childPath(_ key: String) -> String {
        let isIdentifier = key.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
            && key.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
        guard isIdentifier else { return path + "[" + JSONValue.string(key).serialized(indent: 0) + "]" }
        return path.isEmpty ? key : path + "." + key
    }
}
