/// Splits filter text into ``FilterToken``s, one at a time, over its UTF-8 bytes.
///
/// Tokens are separated by optional JSON whitespace (space, tab, CR, LF). Strings are JSON strings, numbers JSON
/// numbers; `labels.NAME` is one token, with no space around the dot.
struct FilterLexer {
    private let bytes: [UInt8]
    private let maxStringBytes: Int
    private var offset = 0

    init(text: String, maxStringBytes: Int) {
        bytes = Array(text.utf8)
        self.maxStringBytes = maxStringBytes
    }

    /// The next token, or `.end` (again and again) after the last.
    mutating func next() throws(FilterSyntaxError) -> FilterToken {
        while offset < bytes.count, Self.isWhitespace(bytes[offset]) { offset += 1 }
        let start = offset
        guard offset < bytes.count else { return FilterToken(kind: .end, start: start) }
        let kind: FilterToken.Kind
        switch bytes[offset] {
        case UInt8(ascii: "("): kind = .leftParenthesis; offset += 1
        case UInt8(ascii: ")"): kind = .rightParenthesis; offset += 1
        case UInt8(ascii: ","): kind = .comma; offset += 1
        case UInt8(ascii: "\""): kind = .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = .number(try number())
        case let byte where Self.isOperatorByte(byte): kind = .comparison(try comparison())
        case let byte where Self.isWordStart(byte): kind = try word()
        default: throw FilterSyntaxError(.unexpectedCharacter(scalar(at: offset)), at: offset)
        }
        return FilterToken(kind: kind, start: start)
    }

    /// A word, or `labels.NAME` when the word is `labels` followed by a dot.
    private mutating func word() throws(FilterSyntaxError) -> FilterToken.Kind {
        let start = offset
        while offset < bytes.count, Self.isWordStart(bytes[offset]) || Self.isDigit(bytes[offset]) { offset += 1 }
        let word = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "."), FilterToken.equalIgnoringASCIICase(word, "labels")
        else { return .word(word) }
        offset += 1
        let nameStart = offset
        while offset < bytes.count, LabelNameRule.isNameByte(bytes[offset]) { offset += 1 }
        let name = String(decoding: bytes[nameStart..<offset], as: UTF8.self)
        guard LabelNameRule.isValid(name) else { throw FilterSyntaxError(.invalidLabelName(name), at: nameStart) }
        return .label(name)
    }

    /// A JSON number. The run of characters a number could touch is taken whole, so `1abc` or `01` is one bad
    /// number rather than a number followed by something else.
    private mutating func number() throws(FilterSyntaxError) -> Double {
        let start = offset
        while offset < bytes.count, Self.isNumberRunByte(bytes[offset]) { offset += 1 }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard Self.isJSONNumber(bytes[start..<offset]) else { throw FilterSyntaxError(.invalidNumber(text), at: start) }
        guard let value = Double(text), value.isFinite else {
            throw FilterSyntaxError(.numberOutOfRange(text), at: start)
        }
        return value
    }

    /// One of the six operators; a longer run of operator characters (`==`, `<>`, `=>`) is one bad operator.
    private mutating func comparison() throws(FilterSyntaxError) -> FilterComparison {
        let start = offset
        while offset < bytes.count, Self.isOperatorByte(bytes[offset]) { offset += 1 }
        let text = String(decoding: bytes[start..<offset], as: UTF8.self)
        guard let comparison = FilterComparison.allCases.first(where: { $0.description == text }) else {
            throw FilterSyntaxError(.invalidOperator(text), at: start)
        }
        return comparison
    }

    /// A JSON string's value; errors about the string as a whole point at its opening quote.
    private mutating func string() throws(FilterSyntaxError) -> String {
        let quote = offset
        offset += 1
        var value: [UInt8] = []
        while true {
            guard offset < bytes.count else { throw FilterSyntaxError(.unterminatedString, at: quote) }
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &value, quote: quote)
            case 0..<0x20:
                throw FilterSyntaxError(.controlCharacterInString(scalar(at: offset)), at: offset)
            case let byte:
                value.append(byte)
                offset += 1
            }
            guard value.count <= maxStringBytes else {
                throw FilterSyntaxError(.stringTooLong(limit: maxStringBytes), at: quote)
            }
        }
    }

    /// Decodes the escape at the backslash under the cursor into `value`.
    private mutating func escape(into value: inout [UInt8], quote: Int) throws(FilterSyntaxError) {
        let backslash = offset
        offset += 1
        guard offset < bytes.count else { throw FilterSyntaxError(.unterminatedString, at: quote) }
        let simple: UInt8? = switch bytes[offset] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes[offset]
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            value.append(simple)
            offset += 1
            return
        }
        guard bytes[offset] == UInt8(ascii: "u") else {
            throw FilterSyntaxError(.invalidEscape(scalar(at: offset)), at: backslash)
        }
        offset += 1
        let unit = try hexQuad(escapeAt: backslash)
        let scalarValue: UInt32
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate counts only with a `\uDC00`–`\uDFFF` right after it (JSON spells astral
            // characters as UTF-16 pairs).
            let lowEscape = offset
            guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
            else { throw FilterSyntaxError(.unpairedSurrogate(unit), at: backslash) }
            offset += 2
            let low = try hexQuad(escapeAt: lowEscape)
            guard (0xDC00...0xDFFF).contains(low) else { throw FilterSyntaxError(.unpairedSurrogate(unit), at: backslash) }
            scalarValue = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw FilterSyntaxError(.unpairedSurrogate(unit), at: backslash)
        default:
            scalarValue = UInt32(unit)
        }
        UTF8.encode(Unicode.Scalar(scalarValue)!) { value.append($0) }
    }

    /// The four hex digits of a `\u` escape.
    private mutating func hexQuad(escapeAt backslash: Int) throws(FilterSyntaxError) -> UInt16 {
        guard offset + 4 <= bytes.count else { throw FilterSyntaxError(.invalidUnicodeEscape, at: backslash) }
        var unit: UInt16 = 0
        for byte in bytes[offset..<offset + 4] {
            guard let digit = Self.hexDigit(byte) else { throw FilterSyntaxError(.invalidUnicodeEscape, at: backslash) }
            unit = unit << 4 | UInt16(digit)
        }
        offset += 4
        return unit
    }

    /// The Unicode scalar starting at byte `index` (always a scalar boundary: the lexer steps over ASCII only).
    private func scalar(at index: Int) -> Unicode.Scalar {
        String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self).unicodeScalars.first!
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, whole.
    private static func isJSONNumber(_ text: ArraySlice<UInt8>) -> Bool {
        var index = text.startIndex
        func skip(_ allowed: (UInt8) -> Bool) -> Bool {
            guard index < text.endIndex, allowed(text[index]) else { return false }
            index += 1
            return true
        }
        func digits() -> Bool {
            guard skip(isDigit) else { return false }
            while skip(isDigit) {}
            return true
        }
        _ = skip { $0 == UInt8(ascii: "-") }
        if !skip({ $0 == UInt8(ascii: "0") }) {
            guard skip({ (UInt8(ascii: "1")...UInt8(ascii: "9")).contains($0) }) else { return false }
            while skip(isDigit) {}
        }
        if skip({ $0 == UInt8(ascii: ".") }), !digits() { return false }
        if skip({ $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            _ = skip { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
            if !digits() { return false }
        }
        return index == text.endIndex
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isWordStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }

    private static func isNumberRunByte(_ byte: UInt8) -> Bool {
        isWordStart(byte) || isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-")
    }

    private static func isOperatorByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
