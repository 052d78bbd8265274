import EventFormats

/// Parses the `filter=` expression of `GET /users/{user}/recommendations` and `GET /items/{item}/similar`.
///
/// ```
/// expr   := term ("OR" term)*            term := factor ("AND" factor)*
/// factor := "NOT" factor | "(" expr ")" | test
/// test   := "categories" "HAS" value | field op value | field "IN" "(" value ("," value)* ")" | "EXISTS" field
/// field  := "labels." NAME | "published_at"          op := = | != | < | <= | > | >=
/// value  := "JSON string" | JSON number | true | false
/// ```
/// `NOT` binds tighter than `AND`, `AND` tighter than `OR`. Keywords, `categories`, `published_at`, `labels`,
/// `true` and `false` are case-insensitive; label names are case-sensitive and follow ``LabelNameRule``.
/// Checked while parsing, each an error at the value: `HAS` needs a string; `published_at` takes a number
/// (unix seconds) or an RFC 3339 date-time string, converted to seconds here. The limits are ``FilterLimits``.
package struct FilterParser {
    private var lexer: FilterLexer
    private var token: FilterToken
    private let limits: FilterLimits
    /// Parentheses and `NOT`s around the factor being parsed.
    private var depth = 0
    private var testCount = 0

    /// The expression `text` spells, or the first error in it.
    package static func parse(
        _ text: String, limits: FilterLimits = FilterLimits()
    ) throws(FilterError) -> FilterExpression {
        do throws(FilterSyntaxError) {
            guard text.utf8.count <= limits.maxBytes else {
                throw FilterSyntaxError(.tooLong(limit: limits.maxBytes), at: limits.maxBytes)
            }
            var parser = try FilterParser(text: text, limits: limits)
            return try parser.parseFilter()
        } catch {
            throw FilterError(error.reason, at: characterOffset(ofByte: error.byteOffset, in: text))
        }
    }

    private init(text: String, limits: FilterLimits) throws(FilterSyntaxError) {
        lexer = FilterLexer(text: text, maxStringBytes: limits.maxStringBytes)
        token = try lexer.next()
        self.limits = limits
    }

    private mutating func parseFilter() throws(FilterSyntaxError) -> FilterExpression {
        guard token.kind != .end else { throw FilterSyntaxError(.empty, at: 0) }
        let expression = try parseExpression()
        guard token.kind == .end else { throw unexpectedToken(expecting: "AND, OR or the end of the filter") }
        return expression
    }

    /// `term ("OR" term)*`
    private mutating func parseExpression() throws(FilterSyntaxError) -> FilterExpression {
        var expression = try parseTerm()
        while token.isKeyword("OR") {
            try advance()
            expression = .or(expression, try parseTerm())
        }
        return expression
    }

    /// `factor ("AND" factor)*`
    private mutating func parseTerm() throws(FilterSyntaxError) -> FilterExpression {
        var expression = try parseFactor()
        while token.isKeyword("AND") {
            try advance()
            expression = .and(expression, try parseFactor())
        }
        return expression
    }

    /// `"NOT" factor | "(" expr ")" | test`
    private mutating func parseFactor() throws(FilterSyntaxError) -> FilterExpression {
        if token.isKeyword("NOT") {
            try enterNesting()
            try advance()
            let operand = try parseFactor()
            depth -= 1
            return .not(operand)
        }
        if token.kind == .leftParenthesis {
            try enterNesting()
            try advance()
            let expression = try parseExpression()
            guard token.kind == .rightParenthesis else { throw unexpectedToken(expecting: "AND, OR or \")\"") }
            try advance()
            depth -= 1
            return expression
        }
        return .test(try parseTest())
    }

    private mutating func parseTest() throws(FilterSyntaxError) -> FilterTest {
        testCount += 1
        guard testCount <= limits.maxTests else {
            throw FilterSyntaxError(.tooManyTests(limit: limits.maxTests), at: token.start)
        }
        if case .label(let name) = token.kind {
            try advance()
            return try parseLabelTest(name)
        }
        if token.isKeyword("published_at") {
            try advance()
            return try parsePublishedAtTest()
        }
        if token.isKeyword("categories") {
            try advance()
            return .hasCategory(try parseCategory())
        }
        if token.isKeyword("EXISTS") {
            try advance()
            return try parseExistsTest()
        }
        throw unexpectedToken(
            expecting: "a test (categories HAS \"…\", labels.NAME …, published_at … or EXISTS …), NOT or \"(\""
        )
    }

    /// After `labels.name`: `op value` or `IN (values)`.
    private mutating func parseLabelTest(_ name: String) throws(FilterSyntaxError) -> FilterTest {
        if token.isKeyword("IN") {
            return .labelIn(name, try parseList { parser, symbol throws(FilterSyntaxError) in
                try parser.parseLabelValue(after: symbol)
            })
        }
        let comparison = try parseComparison(after: "labels.\(name)")
        return .label(name, comparison, try parseLabelValue(after: comparison.description))
    }

    /// After `published_at`: `op value` or `IN (values)`.
    private mutating func parsePublishedAtTest() throws(FilterSyntaxError) -> FilterTest {
        if token.isKeyword("IN") {
            return .publishedAtIn(try parseList { parser, symbol throws(FilterSyntaxError) in
                try parser.parseSeconds(after: symbol)
            })
        }
        let comparison = try parseComparison(after: "published_at")
        return .publishedAt(comparison, try parseSeconds(after: comparison.description))
    }

    /// After `categories`: `HAS "category"`.
    private mutating func parseCategory() throws(FilterSyntaxError) -> String {
        guard token.isKeyword("HAS") else { throw unexpectedToken(expecting: "HAS after \"categories\"") }
        try advance()
        switch token.kind {
        case .string(let category):
            try advance()
            return category
        case .number:
            throw FilterSyntaxError(.hasNeedsString, at: token.start)
        case .word where token.isKeyword("true") || token.isKeyword("false"):
            throw FilterSyntaxError(.hasNeedsString, at: token.start)
        default:
            throw unexpectedToken(expecting: "a string after \"HAS\"")
        }
    }

    /// After `EXISTS`: a field.
    private mutating func parseExistsTest() throws(FilterSyntaxError) -> FilterTest {
        if case .label(let name) = token.kind {
            try advance()
            return .labelExists(name)
        }
        guard token.isKeyword("published_at") else {
            throw unexpectedToken(expecting: "labels.NAME or published_at after \"EXISTS\"")
        }
        try advance()
        return .publishedAtExists
    }

    private mutating func parseComparison(after field: String) throws(FilterSyntaxError) -> FilterComparison {
        guard case .comparison(let comparison) = token.kind else {
            throw unexpectedToken(expecting: "an operator (=, !=, <, <=, >, >=) or IN after \"\(field)\"")
        }
        try advance()
        return comparison
    }

    /// `"(" value ("," value)* ")"` after `IN`, each value read by `parseValue` (given the symbol before it).
    private mutating func parseList<Value>(
        _ parseValue: (inout FilterParser, String) throws(FilterSyntaxError) -> Value
    ) throws(FilterSyntaxError) -> [Value] {
        try advance()
        guard token.kind == .leftParenthesis else { throw unexpectedToken(expecting: "\"(\" after \"IN\"") }
        try advance()
        var values = [try parseValue(&self, "(")]
        while token.kind == .comma {
            try advance()
            guard values.count < limits.maxListValues else {
                throw FilterSyntaxError(.tooManyValues(limit: limits.maxListValues), at: token.start)
            }
            values.append(try parseValue(&self, ","))
        }
        guard token.kind == .rightParenthesis else { throw unexpectedToken(expecting: "\",\" or \")\" in the IN list") }
        try advance()
        return values
    }

    /// A string, a number, `true` or `false`, after `symbol`.
    private mutating func parseLabelValue(after symbol: String) throws(FilterSyntaxError) -> FilterValue {
        let value: FilterValue
        switch token.kind {
        case .string(let string): value = .string(string)
        case .number(let number): value = .number(number)
        case .word where token.isKeyword("true"): value = .bool(true)
        case .word where token.isKeyword("false"): value = .bool(false)
        default: throw unexpectedToken(expecting: "a value (a \"string\", a number, true or false) after \"\(symbol)\"")
        }
        try advance()
        return value
    }

    /// Unix seconds, as a number or an RFC 3339 date-time string, after `symbol`.
    private mutating func parseSeconds(after symbol: String) throws(FilterSyntaxError) -> Double {
        let seconds: Double
        switch token.kind {
        case .number(let number):
            seconds = number
        case .string(let string):
            var string = string
            guard let parsed = string.withUTF8({ RFC3339.parse($0) }) else {
                throw FilterSyntaxError(.invalidDate(string), at: token.start)
            }
            seconds = parsed
        case .word where token.isKeyword("true") || token.isKeyword("false"):
            throw FilterSyntaxError(.publishedAtNeedsNumberOrDate, at: token.start)
        default:
            throw unexpectedToken(expecting: "a number (unix seconds) or an RFC 3339 date-time string after \"\(symbol)\"")
        }
        try advance()
        return seconds
    }

    private mutating func enterNesting() throws(FilterSyntaxError) {
        depth += 1
        guard depth <= limits.maxDepth else { throw FilterSyntaxError(.tooDeep(limit: limits.maxDepth), at: token.start) }
    }

    private mutating func advance() throws(FilterSyntaxError) {
        token = try lexer.next()
    }

    private func unexpectedToken(expecting what: String) -> FilterSyntaxError {
        FilterSyntaxError(.expected(what, found: token.summary), at: token.start)
    }

    /// The 0-based offset, in `Character`s, of the character of `text` holding byte `byteOffset` (the count of
    /// characters when the offset is at the end).
    private static func characterOffset(ofByte byteOffset: Int, in text: String) -> Int {
        var bytes = 0
        var characters = 0
        for character in text {
            bytes += character.utf8.count
            if bytes > byteOffset { return characters }
            characters += 1
        }
        return characters
    }
}
