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

    /// A one-dimensional array literal (`{1,2,3}` or `{"a","b",NULL}`) for a `$n::type[]` parameter; built
    /// as UTF-8 bytes, each element copied whole unless it holds a quote or backslash to escape.
    package static func array(_ elements: [String?]) -> PostgresValue {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        literal.reserveCapacity(elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (offset, element) in elements.enumerated() {
            if offset > 0 { literal.append(UInt8(ascii: ",")) }
            guard var element else {
                literal.append(contentsOf: "NULL".utf8)
                continue
            }
            literal.append(UInt8(ascii: "\""))
            element.withUTF8 { utf8 in
                guard utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                    literal.append(contentsOf: utf8)
                    return
                }
                for byte in utf8 {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { literal.append(UInt8(ascii: "\\")) }
                    literal.append(byte)
                }
            }
            literal.append(UInt8(ascii: "\""))
        }
        literal.append(UInt8(ascii: "}"))
        return .text(String(decoding: literal, as: UTF8.self))
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
            guard utf8.contains(where: Self.needsEscape) else {
                bytes.append(contentsOf: utf8)
                return
            }
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

    /// The bytes the text format escapes inside a value.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// Appends an integer column.
    package mutating func append<Number: BinaryInteger>(_ value: Number) {
        separate()
        // Digits written in place, most significant first, without a String per value.
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude != 0
        bytes[start...].reverse()
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
