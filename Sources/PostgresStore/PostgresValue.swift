/// One bound parameter of a prepared statement: sent separately from the SQL text, never spliced into it.
///
/// Numbers travel as text (PostgreSQL parses `Int64.description` and Swift's shortest round-trip `Double`
/// text exactly); arrays travel as array literals, whose elements `PostgresValue.array` quotes.
package enum PostgresValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A value in PostgreSQL's text input format.
    case text(String)
    /// A `bytea` value, sent in the binary format (no hex or escape encoding on either side).
    case bytes([UInt8])

    /// An integer parameter.
    package static func int(_ value: Int64) -> PostgresValue { .text(String(value)) }

    /// An integer parameter.
    package static func int(_ value: Int) -> PostgresValue { .text(String(value)) }

    /// An integer parameter.
    package static func int(_ value: Int32) -> PostgresValue { .text(String(value)) }

    /// A `double precision` parameter; `value` must be finite (stored times and weights are).
    package static func double(_ value: Double) -> PostgresValue {
        precondition(value.isFinite, "only finite numbers are stored")
        return .text(value.description)
    }

    /// A text parameter, or NULL for nil.
    package static func string(_ value: String?) -> PostgresValue { value.map { .text($0) } ?? .null }

    /// A one-dimensional array literal (`{1,2,3}` or `{"a","b",NULL}`) for a `$n::type[]` parameter.
    package static func array(_ elements: [String?]) -> PostgresValue {
        var literal = "{"
        literal.reserveCapacity(elements.count * 12 + 2)
        for (offset, element) in elements.enumerated() {
            if offset > 0 { literal += "," }
            guard let element else {
                literal += "NULL"
                continue
            }
            literal += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.unicodeScalars.append(character)
            }
            literal += "\""
        }
        literal += "}"
        return .text(literal)
    }

    /// An integer array literal for a `$n::integer[]` or `$n::bigint[]` parameter.
    package static func array<Number: BinaryInteger>(_ elements: [Number]) -> PostgresValue {
        var literal = "{"
        literal.reserveCapacity(elements.count * 8 + 2)
        for (offset, element) in elements.enumerated() {
            if offset > 0 { literal += "," }
            literal += String(element)
        }
        literal += "}"
        return .text(literal)
    }

    /// A `double precision[]` array literal; every element must be finite.
    package static func array(_ elements: [Double]) -> PostgresValue {
        .text("{" + elements.map { value -> String in
            precondition(value.isFinite, "only finite numbers are stored")
            return value.description
        }.joined(separator: ",") + "}")
    }
}

/// Rows for `COPY … FROM STDIN` in PostgreSQL's text format: tab-separated columns, `\N` for NULL, and
/// backslash, tab, newline and carriage return escaped inside values.
package struct CopyRows {
    /// The encoded rows so far.
    package private(set) var bytes: [UInt8] = []
    private var columnsInRow = 0

    /// An empty buffer.
    package init() {}

    /// Appends a text column (NULL for nil).
    package mutating func append(_ value: String?) {
        separate()
        guard var value else {
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
            return
        }
        value.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                default: bytes.append(byte)
                }
            }
        }
    }

    /// Appends an integer column.
    package mutating func append<Number: BinaryInteger>(_ value: Number) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends a finite `double precision` column.
    package mutating func append(_ value: Double) {
        precondition(value.isFinite, "only finite numbers are stored")
        separate()
        bytes.append(contentsOf: value.description.utf8)
    }

    /// Ends the current row.
    package mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        columnsInRow = 0
    }

    /// Forgets the rows, keeping the storage.
    package mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        columnsInRow = 0
    }

    private mutating func separate() {
        if columnsInRow > 0 { bytes.append(UInt8(ascii: "\t")) }
        columnsInRow += 1
    }
}
