/// Why a filter could not be parsed, and where.
///
/// `position` is a 0-based offset in `Character`s into the filter text (the character holding the offending
/// byte); ``description`` reads e.g. `expected a value after "=", found the end of the filter at position 17`.
package struct FilterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, as a case that can be matched.
    package enum Reason: Equatable, Sendable {
        /// The filter is empty or only whitespace.
        case empty
        /// The filter is longer than `limit` UTF-8 bytes.
        case tooLong(limit: Int)
        /// Parentheses and `NOT` nest deeper than `limit` levels.
        case tooDeep(limit: Int)
        /// The filter has more than `limit` tests.
        case tooManyTests(limit: Int)
        /// An `IN` list has more than `limit` values.
        case tooManyValues(limit: Int)
        /// A character that starts no token.
        case unexpectedCharacter(Unicode.Scalar)
        /// A string has no closing quote.
        case unterminatedString
        /// A backslash in a string followed by a character that starts no JSON escape.
        case invalidEscape(Unicode.Scalar)
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\uXXXX` escape of a UTF-16 surrogate without its other half.
        case unpairedSurrogate(UInt16)
        /// A string holds an unescaped control character (U+0000–U+001F).
        case controlCharacterInString(Unicode.Scalar)
        /// A string's value is longer than `limit` UTF-8 bytes.
        case stringTooLong(limit: Int)
        /// Text that starts like a number but is not a JSON number.
        case invalidNumber(String)
        /// A JSON number too large for a `Double`.
        case numberOutOfRange(String)
        /// A run of `=`, `!`, `<`, `>` that is not one of the six operators.
        case invalidOperator(String)
        /// `labels.` followed by a name that breaks ``LabelNameRule``.
        case invalidLabelName(String)
        /// Something other than what the grammar allows here; both are phrased for the message.
        case expected(String, found: String)
        /// `categories HAS` followed by a number or a boolean.
        case hasNeedsString
        /// `published_at` compared with a boolean.
        case publishedAtNeedsNumberOrDate
        /// `published_at` compared with a string that is not an RFC 3339 date-time.
        case invalidDate(String)
    }

    /// What is wrong.
    package let reason: Reason
    /// The 0-based offset, in `Character`s, of where it is wrong.
    package let position: Int

    /// An error for `reason` at `position`.
    package init(_ reason: Reason, at position: Int) {
        self.reason = reason
        self.position = position
    }

    /// What is wrong, in words, without the position.
    package var message: String {
        switch reason {
        case .empty:
            "the filter is empty"
        case .tooLong(let limit):
            "the filter is longer than \(limit) bytes"
        case .tooDeep(let limit):
            "parentheses and NOT nest deeper than \(limit) levels"
        case .tooManyTests(let limit):
            "the filter has more than \(limit) tests"
        case .tooManyValues(let limit):
            "an IN list has more than \(limit) values"
        case .unexpectedCharacter(let scalar):
            "unexpected character \(FilterError.display(scalar))"
        case .unterminatedString:
            "a string is not closed (missing \")"
        case .invalidEscape(let scalar):
            #"\ followed by \#(FilterError.display(scalar)) is not an escape (allowed: \" \\ \/ \b \f \n \r \t \uXXXX)"#
        case .invalidUnicodeEscape:
            "\\u must be followed by four hex digits"
        case .unpairedSurrogate(let unit):
            "\\u\(FilterError.hex(UInt32(unit))) is half of a UTF-16 surrogate pair without its other half"
        case .controlCharacterInString(let scalar):
            "control character \(FilterError.display(scalar)) in a string must be escaped"
        case .stringTooLong(let limit):
            "a string is longer than \(limit) bytes"
        case .invalidNumber(let text):
            "invalid number \"\(text)\""
        case .numberOutOfRange(let text):
            "number \"\(text)\" is out of range"
        case .invalidOperator(let text):
            "unknown operator \"\(text)\" (allowed: =, !=, <, <=, >, >=)"
        case .invalidLabelName(let name):
            "invalid label name \"\(name)\": a name is \(LabelNameRule.summary)"
        case let .expected(what, found):
            "expected \(what), found \(found)"
        case .hasNeedsString:
            "HAS needs a string"
        case .publishedAtNeedsNumberOrDate:
            "published_at compares with a number (unix seconds) or an RFC 3339 date-time string"
        case .invalidDate(let text):
            "invalid RFC 3339 date-time \(FilterValue.quoted(text)) (e.g. \"2026-01-31T09:00:00Z\")"
        }
    }

    /// The message and the position.
    package var description: String { "\(message) at position \(position)" }

    /// `"#"` for a visible ASCII character, `"é" (U+00E9)` for another visible one, `U+0007` for the rest,
    /// so a control character never lands raw in a message or a log line.
    private static func display(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + hex(scalar.value)
        if scalar.value > 0x20, scalar.value < 0x7F { return "\"\(scalar)\"" }
        let properties = scalar.properties
        let visible = !(properties.generalCategory == .control || properties.generalCategory == .format
            || properties.isWhitespace || properties.isDefaultIgnorableCodePoint)
        return visible ? "\"\(scalar)\" (\(code))" : code
    }

    /// `value` as at least four upper-case hex digits.
    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
