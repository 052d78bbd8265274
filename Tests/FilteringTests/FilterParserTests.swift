import Filtering
import Testing

struct FilterParserTests {
    private let brandIsAcme = FilterExpression.test(.label("brand", .equal, .string("acme")))
    private let priceUnder50 = FilterExpression.test(.label("price", .less, .number(50)))
    private let usedCategory = FilterExpression.test(.hasCategory("used"))

    @Test func parsesTheContractsExample() throws {
        let parsed = try FilterParser.parse(#"labels.brand = "acme" AND labels.price < 50 AND NOT categories HAS "used""#)
        #expect(parsed == .and(.and(brandIsAcme, priceUnder50), .not(usedCategory)))
    }

    @Test func parsesEveryTest() throws {
        let cases: [(String, FilterTest)] = [
            (#"categories HAS "used""#, .hasCategory("used")),
            (#"labels.brand = "acme""#, .label("brand", .equal, .string("acme"))),
            (#"labels.brand != "acme""#, .label("brand", .notEqual, .string("acme"))),
            ("labels.price < 50", .label("price", .less, .number(50))),
            ("labels.price <= 50", .label("price", .lessOrEqual, .number(50))),
            ("labels.price > 50", .label("price", .greater, .number(50))),
            ("labels.price >= 50", .label("price", .greaterOrEqual, .number(50))),
            ("labels.new = true", .label("new", .equal, .bool(true))),
            ("labels.new = false", .label("new", .equal, .bool(false))),
            (#"labels.tags IN ("red", 2, true)"#, .labelIn("tags", [.string("red"), .number(2), .bool(true)])),
            (#"labels.tags IN ("red")"#, .labelIn("tags", [.string("red")])),
            ("EXISTS labels.tags", .labelExists("tags")),
            ("EXISTS published_at", .publishedAtExists),
            ("published_at = 1700000000", .publishedAt(.equal, 1_700_000_000)),
            ("published_at != 1700000000", .publishedAt(.notEqual, 1_700_000_000)),
            ("published_at < 1700000000.5", .publishedAt(.less, 1_700_000_000.5)),
            ("published_at <= -1", .publishedAt(.lessOrEqual, -1)),
            (#"published_at > "2027-01-15T08:00:00Z""#, .publishedAt(.greater, 1_800_000_000)),
            (#"published_at >= "2027-01-15T09:00:00.25+01:00""#, .publishedAt(.greaterOrEqual, 1_800_000_000.25)),
            (#"published_at IN (0, "2027-01-15T08:00:00Z")"#, .publishedAtIn([0, 1_800_000_000])),
        ]
        for (text, test) in cases {
            #expect(try FilterParser.parse(text) == .test(test), "\(text)")
        }
    }

    @Test func bindsNotTighterThanAndTighterThanOr() throws {
        let (a, b, c) = (test("a"), test("b"), test("c"))
        #expect(try FilterParser.parse("EXISTS labels.a OR EXISTS labels.b AND EXISTS labels.c") == .or(a, .and(b, c)))
        #expect(try FilterParser.parse("EXISTS labels.a AND EXISTS labels.b OR EXISTS labels.c") == .or(.and(a, b), c))
        #expect(try FilterParser.parse("NOT EXISTS labels.a AND EXISTS labels.b") == .and(.not(a), b))
        #expect(try FilterParser.parse("NOT EXISTS labels.a OR EXISTS labels.b") == .or(.not(a), b))
        #expect(try FilterParser.parse("NOT NOT EXISTS labels.a") == .not(.not(a)))
    }

    @Test func chainsAssociateToTheLeft() throws {
        let (a, b, c) = (test("a"), test("b"), test("c"))
        #expect(try FilterParser.parse("EXISTS labels.a AND EXISTS labels.b AND EXISTS labels.c") == .and(.and(a, b), c))
        #expect(try FilterParser.parse("EXISTS labels.a OR EXISTS labels.b OR EXISTS labels.c") == .or(.or(a, b), c))
    }

    @Test func parenthesesGroupAndLeaveNoNode() throws {
        let (a, b, c) = (test("a"), test("b"), test("c"))
        #expect(try FilterParser.parse("(EXISTS labels.a OR EXISTS labels.b) AND EXISTS labels.c") == .and(.or(a, b), c))
        #expect(try FilterParser.parse("EXISTS labels.a AND (EXISTS labels.b AND EXISTS labels.c)") == .and(a, .and(b, c)))
        #expect(try FilterParser.parse("NOT (EXISTS labels.a OR EXISTS labels.b)") == .not(.or(a, b)))
        #expect(try FilterParser.parse("((EXISTS labels.a))") == a)
    }

    @Test func readsKeywordsInAnyCase() throws {
        let parsed = try FilterParser.parse(
            #"LaBeLs.brand = "acme" and Not CATEGORIES has "used" oR exists PUBLISHED_AT Or labels.new in (TRUE, False)"#
        )
        #expect(parsed == .or(
            .or(.and(brandIsAcme, .not(usedCategory)), .test(.publishedAtExists)),
            .test(.labelIn("new", [.bool(true), .bool(false)]))
        ))
    }

    @Test func keepsTheCaseOfLabelNamesAndValues() throws {
        #expect(try FilterParser.parse(#"labels.Brand = "ACME""#) == .test(.label("Brand", .equal, .string("ACME"))))
        #expect(try FilterParser.parse("labels.Brand = 1") != FilterParser.parse("labels.brand = 1"))
    }

    @Test func acceptsLabelNamesWithDigitsDashesAndUnderscores() throws {
        let name = "0-_aZ" + String(repeating: "x", count: 59)
        #expect(try FilterParser.parse("EXISTS labels.\(name)") == .test(.labelExists(name)))
    }

    @Test func decodesJSONStringEscapes() throws {
        let parsed = try FilterParser.parse(#"labels.a = "q\" b\\ s\/ \b\f\n\r\t \u00e9 \uD83D\uDE00 \u0000""#)
        #expect(parsed == .test(.label("a", .equal, .string("q\" b\\ s/ \u{08}\u{0C}\n\r\t é 😀 \u{0}"))))
    }

    @Test func keepsUnicodeInStringsAsWritten() throws {
        let parsed = try FilterParser.parse("labels.a IN (\"e\u{301}\", \"é\", \"\")")
        #expect(parsed == .test(.labelIn("a", [.string("e\u{301}"), .string("é"), .string("")])))
        if case .test(.labelIn(_, let values)) = parsed {
            #expect(values[0] != values[1], "canonically equivalent strings stay distinct")
        }
    }

    @Test func readsJSONNumbers() throws {
        let cases: [(String, Double)] = [
            ("0", 0), ("-0", 0), ("7", 7), ("-1.5e3", -1500), ("1E+2", 100), ("2.5e-1", 0.25), ("0.1", 0.1),
            ("123456789012345678901234567890", 1.2345678901234568e29), ("1e-400", 0),
        ]
        for (text, value) in cases {
            #expect(try FilterParser.parse("labels.a = \(text)") == .test(.label("a", .equal, .number(value))), "\(text)")
        }
    }

    @Test func allowsAnyJSONWhitespaceOrNoneBetweenTokens() throws {
        #expect(try FilterParser.parse("(labels.a=1)OR(labels.b!=\"x\")") == FilterParser.parse(#"labels.a = 1 OR labels.b != "x""#))
        #expect(try FilterParser.parse(" \t\r\nEXISTS\tlabels.a\n") == test("a"))
    }

    @Test func acceptsTheLimitsThemselves() throws {
        let deepest = String(repeating: "(", count: 32) + "EXISTS labels.a" + String(repeating: ")", count: 32)
        #expect(try FilterParser.parse(deepest) == test("a"))
        let manyTests = Array(repeating: "labels.a=1", count: 256).joined(separator: " OR ")
        _ = try FilterParser.parse(manyTests)
        let longList = "labels.a IN (" + Array(repeating: "1", count: 256).joined(separator: ",") + ")"
        #expect(try FilterParser.parse(longList) == .test(.labelIn("a", Array(repeating: .number(1), count: 256))))
        let longString = String(repeating: "é", count: 512)
        #expect(try FilterParser.parse("labels.a = \"\(longString)\"") == .test(.label("a", .equal, .string(longString))))
        let longFilter = "labels.a = 1" + String(repeating: " ", count: 4096 - 12)
        _ = try FilterParser.parse(longFilter)
    }

    @Test func takesLimitsFromItsArgument() throws {
        var limits = FilterLimits()
        limits.maxTests = 1
        #expect(throws: FilterError(.tooManyTests(limit: 1), at: 19)) {
            try FilterParser.parse("EXISTS labels.a OR EXISTS labels.b", limits: limits)
        }
    }

    private func test(_ name: String) -> FilterExpression {
        .test(.labelExists(name))
    }
}
