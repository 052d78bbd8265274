/// Why a request body or import line is not acceptable JSON for events, and where.
package struct EventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    package enum Reason: Sendable, Hashable {
        /// The body held no JSON value at all (JSON format only; an empty NDJSON body is zero events).
        case emptyBody
        /// The input ended where `expected` was needed.
        case unexpectedEnd(expected: String)
        /// A byte appeared where `expected` was needed.
        case unexpectedByte(UInt8, expected: String)
        /// A number that RFC 8259 does not allow (leading zeros, a bare `-`, `1.`, `NaN`, …).
        case invalidNumber
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape
        /// A `\u` escape with bad hex digits or an unpaired UTF-16 surrogate.
        case invalidUnicodeEscape
        /// A string held bytes that are not well-formed UTF-8.
        case invalidUTF8
        /// A raw control character (below U+0020) inside a string.
        case controlCharacterInString
        /// A known event field appeared twice in one object.
        case duplicateKey(String)
        /// Arrays and objects were nested deeper than the configured limit.
        case depthLimitExceeded(Int)
        /// The body held more events than the configured limit.
        case tooManyEvents(Int)
    }

    /// What was wrong.
    package var reason: Reason
    /// Byte offset of the problem from the start of the input.
    package var offset: Int
    /// 1-based line of the problem.
    package var line: Int
    /// 1-based column of the problem, in bytes.
    package var column: Int

    /// Creates an error at an explicit position.
    package init(reason: Reason, offset: Int, line: Int, column: Int) {
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// Creates an error at `offset` in `bytes`, working out line and column (only done when an error happens).
    init(reason: Reason, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        self.init(reason: reason, offset: offset, line: line, column: offset - lineStart + 1)
    }

    /// A human-readable explanation without the position.
    package var message: String {
        switch reason {
        case .emptyBody: "the body holds no JSON value"
        case .unexpectedEnd(let expected): "unexpected end of input, expected \(expected)"
        case .unexpectedByte(let byte, let expected): "unexpected \(Self.describe(byte)), expected \(expected)"
        case .invalidNumber: "invalid number"
        case .invalidEscape: "invalid escape sequence in string"
        case .invalidUnicodeEscape: "invalid \\u escape or unpaired UTF-16 surrogate"
        case .invalidUTF8: "string is not valid UTF-8"
        case .controlCharacterInString: "unescaped control character in string"
        case .duplicateKey(let key): "field \"\(key)\" appears twice in one object"
        case .depthLimitExceeded(let limit): "JSON nested deeper than \(limit) levels"
        case .tooManyEvents(let limit): "more than \(limit) events in one body"
        }
    }

    /// The message with its position, e.g. `invalid number at line 1, column 9`.
    package var description: String { "\(message) at line \(line), column \(column)" }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}
