/// An ordered list of header fields with case-insensitive name lookup.
///
/// Names are stored lower-cased (as HTTP/2 requires and as every lookup here expects); repeated
/// fields are kept in order, never merged or overwritten.
package struct HTTPHeaders: Sendable, Sequence {
    /// One field: lower-cased name and value with surrounding whitespace removed.
    package typealias Field = (name: String, value: String)

    private var fields: [Field] = []

    package init() {}

    package init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: Self.lowercase($0.0), value: $0.1) }
    }

    /// Number of fields, counting repeats.
    package var count: Int { fields.count }

    /// Appends a field; `name` is lower-cased.
    package mutating func add(name: String, value: String) {
        fields.append((name: Self.lowercase(name), value: value))
    }

    /// Replaces every field called `name` with one field.
    package mutating func replaceOrAdd(name: String, value: String) {
        let lowered = Self.lowercase(name)
        fields.removeAll { $0.name == lowered }
        fields.append((name: lowered, value: value))
    }

    /// The first value of `name`, if any.
    package subscript(name: String) -> String? {
        let lowered = Self.lowercase(name)
        return fields.first { $0.name == lowered }?.value
    }

    /// Every value of `name`, in order.
    package func values(_ name: String) -> [String] {
        let lowered = Self.lowercase(name)
        return fields.filter { $0.name == lowered }.map(\.value)
    }

    /// True when some field called `name` exists.
    package func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field whose name the parser has already lower-cased.
    mutating func append(lowercasedName name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// `name` lower-cased; names in this code base are lower-case literals already, so that case allocates nothing.
    private static func lowercase(_ name: String) -> String {
        name.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") } ? name.lowercased() : name
    }

    package func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}
