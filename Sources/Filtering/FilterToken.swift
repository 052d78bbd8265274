/// One token of filter text and the UTF-8 offset it starts at.
struct FilterToken {
    /// What the token is.
    enum Kind: Equatable {
        /// `[A-Za-z_][A-Za-z0-9_]*`: a keyword, `categories`, `published_at`, `true`, `false`, or a mistake.
        case word(String)
        /// `labels.NAME`, the name checked by ``LabelNameRule``.
        case label(String)
        /// A string literal, escapes decoded.
        case string(String)
        /// A number literal.
        case number(Double)
        case comparison(FilterComparison)
        case leftParenthesis
        case rightParenthesis
        case comma
        case end
    }

    let kind: Kind
    /// The offset of the token's first byte.
    let start: Int

    /// True when the token is the word `keyword` in any mix of cases (keywords are case-insensitive).
    func isKeyword(_ keyword: String) -> Bool {
        guard case .word(let word) = kind else { return false }
        return FilterToken.equalIgnoringASCIICase(word, keyword)
    }

    /// The token for an error message's "found …".
    var summary: String {
        switch kind {
        case .word(let word): "\"\(word)\""
        case .label(let name): "\"labels.\(name)\""
        case .string: "a string"
        case .number(let number): "the number \(FilterValue.numberText(number))"
        case .comparison(let comparison): "\"\(comparison)\""
        case .leftParenthesis: "\"(\""
        case .rightParenthesis: "\")\""
        case .comma: "\",\""
        case .end: "the end of the filter"
        }
    }

    /// True when `left` and `right` differ at most in the case of ASCII letters.
    static func equalIgnoringASCIICase(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count
            && zip(left.utf8, right.utf8).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte
    }
}
