import Filtering
import Testing

/// The canonical text ``FilterExpression/description`` prints.
struct FilterExpressionTests {
    @Test func printsUpperCaseKeywordsAndSpacedOperators() throws {
        #expect(try canonical(#"LABELS.brand="acme" and not(categories has "used")or exists Published_At"#)
            == #"labels.brand = "acme" AND NOT categories HAS "used" OR EXISTS published_at"#)
        #expect(try canonical(#"labels.tags in("a",1,TRUE)"#) == #"labels.tags IN ("a", 1, true)"#)
    }

    @Test func keepsOnlyTheParenthesesThatMatter() throws {
        let (a, b, c, d) = ("EXISTS labels.a", "EXISTS labels.b", "EXISTS labels.c", "EXISTS labels.d")
        let cases = [
            ("(\(a) OR \(b)) AND (\(c) OR \(d))", "(\(a) OR \(b)) AND (\(c) OR \(d))"),
            ("(\(a) AND \(b)) AND \(c)", "\(a) AND \(b) AND \(c)"),
            ("\(a) AND (\(b) AND \(c))", "\(a) AND (\(b) AND \(c))"),
            ("(\(a) OR \(b)) OR \(c)", "\(a) OR \(b) OR \(c)"),
            ("\(a) OR (\(b) OR \(c))", "\(a) OR (\(b) OR \(c))"),
            ("\(a) OR (\(b) AND \(c))", "\(a) OR \(b) AND \(c)"),
            ("NOT (\(a) AND \(b))", "NOT (\(a) AND \(b))"),
            ("NOT (NOT (\(a)))", "NOT NOT \(a)"),
            ("(((\(a))))", a),
        ]
        for (text, expected) in cases {
            #expect(try canonical(text) == expected, "\(text)")
        }
    }

    @Test func printsNumbersAsShortJSONThatReadsBackTheSame() throws {
        let cases = [
            ("50.0", "50"), ("-0", "0"), ("1e3", "1000"), ("0.25", "0.25"), ("-1.5e-7", "-1.5e-07"),
            ("1e300", "1e+300"), ("9007199254740992", "9007199254740992.0"), ("0.1", "0.1"),
        ]
        for (text, expected) in cases {
            #expect(try canonical("labels.a = \(text)") == "labels.a = \(expected)", "\(text)")
        }
    }

    @Test func escapesStringsAsJSON() throws {
        #expect(try canonical(#"categories HAS "a\"b\\c\/d\n\u0001\u007f é 😀""#)
            == #"categories HAS "a\"b\\c/d\n\u0001\u007F é 😀""#)
    }

    @Test func printsDatesAsUnixSeconds() throws {
        #expect(try canonical(#"published_at IN ("2027-01-15T08:00:00Z", "2027-01-15T08:00:00.5Z")"#)
            == "published_at IN (1800000000, 1800000000.5)")
    }

    @Test func readsBackAsTheSameExpression() throws {
        let texts = [
            #"labels.brand = "acme" AND labels.price < 50 AND NOT categories HAS "used""#,
            "labels.a = 1e300 OR labels.b != -0.000123 OR (labels.c >= true AND NOT NOT EXISTS published_at)",
            #"published_at != "1969-12-31T23:59:59.999999Z" AND labels.x IN ("\u0000", "\uD83D\uDE00")"#,
        ]
        for text in texts {
            let expression = try FilterParser.parse(text)
            #expect(try FilterParser.parse(expression.description) == expression, "\(text)")
        }
    }

    private func canonical(_ text: String) throws -> String {
        try FilterParser.parse(text).description
    }
}
