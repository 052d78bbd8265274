import Filtering
import Testing

/// Each error names what is wrong and where, as a `Character` offset into the filter.
struct FilterErrorTests {
    @Test func rejectsAnEmptyFilter() {
        #expect(error("")?.description == "the filter is empty at position 0")
        #expect(error(" \n\t")?.description == "the filter is empty at position 0")
    }

    @Test func pointsAtTheQuoteOfAnUnterminatedString() {
        #expect(error(#"labels.brand = "acme"#)?.description == #"a string is not closed (missing ") at position 15"#)
        #expect(error(#"labels.brand = "acme\"#)?.reason == .unterminatedString)
    }

    @Test func pointsAtWhatStandsWhereAValueIsMissing() {
        #expect(error("labels.brand = ")?.description
            == #"expected a value (a "string", a number, true or false) after "=", found the end of the filter at position 15"#)
        #expect(error("labels.brand = AND labels.b = 1")?.description
            == #"expected a value (a "string", a number, true or false) after "=", found "AND" at position 15"#)
        #expect(error("labels.brand = acme")?.position == 15)
        #expect(error("published_at <")?.description
            == #"expected a number (unix seconds) or an RFC 3339 date-time string after "<", found the end of the filter at position 14"#)
    }

    @Test func rejectsUnknownOperators() {
        #expect(error(#"labels.brand == "x""#)?.description
            == #"unknown operator "==" (allowed: =, !=, <, <=, >, >=) at position 13"#)
        #expect(error("labels.price <> 1")?.reason == .invalidOperator("<>"))
        #expect(error("labels.price => 1")?.reason == .invalidOperator("=>"))
        #expect(error("labels.price ! 1")?.reason == .invalidOperator("!"))
        #expect(error(#"labels.brand ~ "x""#)?.description == #"unexpected character "~" at position 13"#)
        #expect(error(#"labels.brand HAS "x""#)?.description
            == #"expected an operator (=, !=, <, <=, >, >=) or IN after "labels.brand", found "HAS" at position 13"#)
    }

    @Test func namesWhatIsAllowedWhereATestIsExpected() {
        let allowed = #"a test (categories HAS "…", labels.NAME …, published_at … or EXISTS …), NOT or "(""#
        #expect(error(#"brand = "x""#)?.description == #"expected \#(allowed), found "brand" at position 0"#)
        #expect(error("NOT labels = 1")?.description == #"expected \#(allowed), found "labels" at position 4"#)
        #expect(error("EXISTS labels.a AND")?.description == #"expected \#(allowed), found the end of the filter at position 19"#)
        #expect(error("()")?.description == #"expected \#(allowed), found ")" at position 1"#)
        #expect(error("EXISTS categories")?.description
            == #"expected labels.NAME or published_at after "EXISTS", found "categories" at position 7"#)
        #expect(error(#"categories = "x""#)?.description == #"expected HAS after "categories", found "=" at position 11"#)
    }

    @Test func rejectsTrailingTokens() {
        #expect(error("labels.a = 1 labels.b = 2")?.description
            == #"expected AND, OR or the end of the filter, found "labels.b" at position 13"#)
        #expect(error("labels.a = 1)")?.description == #"expected AND, OR or the end of the filter, found ")" at position 12"#)
        #expect(error("labels.a = 1 AND")?.position == 16)
    }

    @Test func rejectsAnUnclosedParenthesis() {
        #expect(error("(labels.a = 1")?.description == #"expected AND, OR or ")", found the end of the filter at position 13"#)
    }

    @Test func rejectsMalformedINLists() {
        #expect(error("labels.a IN 1")?.description == #"expected "(" after "IN", found the number 1 at position 12"#)
        #expect(error("labels.a IN (1 2)")?.description
            == #"expected "," or ")" in the IN list, found the number 2 at position 15"#)
        #expect(error("labels.a IN ()")?.description
            == #"expected a value (a "string", a number, true or false) after "(", found ")" at position 13"#)
        #expect(error("labels.a IN (1,)")?.position == 15)
    }

    @Test func rejectsNestingDeeperThan32() {
        let parentheses = String(repeating: "(", count: 33) + "EXISTS labels.a" + String(repeating: ")", count: 33)
        #expect(error(parentheses)?.description == "parentheses and NOT nest deeper than 32 levels at position 32")
        let nots = String(repeating: "NOT ", count: 33) + "EXISTS labels.a"
        #expect(error(nots)?.description == "parentheses and NOT nest deeper than 32 levels at position 128")
        let mixed = String(repeating: "NOT (", count: 17) + "EXISTS labels.a" + String(repeating: ")", count: 17)
        #expect(error(mixed)?.reason == .tooDeep(limit: 32))
    }

    @Test func rejectsFiltersLongerThan4096Bytes() {
        let long = "labels.a = 1" + String(repeating: " ", count: 4096 - 11)
        #expect(error(long)?.description == "the filter is longer than 4096 bytes at position 4096")
        // The position counts characters: each "é" is two bytes, so byte 4096 is inside the 2043rd of them.
        let wide = #"labels.a = ""# + String(repeating: "é", count: 2100) + #"""#
        #expect(error(wide)?.description == "the filter is longer than 4096 bytes at position 2054")
    }

    @Test func rejectsMoreThan256Tests() {
        let filter = Array(repeating: "labels.a=1", count: 257).joined(separator: " OR ")
        #expect(error(filter)?.description == "the filter has more than 256 tests at position 3584")
    }

    @Test func rejectsMoreThan256ValuesInAList() {
        let filter = "labels.a IN (" + Array(repeating: "1", count: 257).joined(separator: ",") + ")"
        #expect(error(filter)?.description == "an IN list has more than 256 values at position 525")
    }

    @Test func rejectsStringsLongerThan1024Bytes() {
        let filter = #"labels.a = ""# + String(repeating: "é", count: 513) + #"""#
        #expect(error(filter)?.description == "a string is longer than 1024 bytes at position 11")
    }

    @Test func pointsAtTheBackslashOfABadEscape() {
        #expect(error(#"labels.a = "x\q""#)?.description
            == #"\ followed by "q" is not an escape (allowed: \" \\ \/ \b \f \n \r \t \uXXXX) at position 13"#)
        #expect(error(#"labels.a = "\u12G4""#)?.description == #"\u must be followed by four hex digits at position 12"#)
        #expect(error(#"labels.a = "\u12""#)?.reason == .invalidUnicodeEscape)
        #expect(error(#"labels.a = "x\uD800""#)?.description
            == #"\uD800 is half of a UTF-16 surrogate pair without its other half at position 13"#)
        #expect(error(#"labels.a = "\uD800\u0041""#)?.reason == .unpairedSurrogate(0xD800))
        #expect(error(#"labels.a = "\uDC00""#)?.reason == .unpairedSurrogate(0xDC00))
        #expect(error("labels.a = \"\\\u{7}\"")?.description.hasPrefix(#"\ followed by U+0007 is not an escape"#) == true)
    }

    @Test func rejectsRawControlCharactersInStrings() {
        #expect(error("labels.a = \"line\nbreak\"")?.description
            == "control character U+000A in a string must be escaped at position 16")
    }

    @Test func rejectsNumbersThatAreNotJSON() {
        #expect(error("labels.a = 01")?.description == #"invalid number "01" at position 11"#)
        for text in ["1.", "-", "1e", "1e+", "1abc", "--1", "1.5.2", "0x10", "1-2"] {
            #expect(error("labels.a = \(text)")?.reason == .invalidNumber(text), "\(text)")
        }
        #expect(error("labels.a = .5")?.description == #"unexpected character "." at position 11"#)
        #expect(error("labels.a = +1")?.description == #"unexpected character "+" at position 11"#)
        #expect(error("labels.a = 1e400")?.description == #"number "1e400" is out of range at position 11"#)
    }

    @Test func rejectsDatesThatAreNotRFC3339() {
        #expect(error(#"published_at > "2026-13-01T00:00:00Z""#)?.description
            == #"invalid RFC 3339 date-time "2026-13-01T00:00:00Z" (e.g. "2026-01-31T09:00:00Z") at position 15"#)
        for date in ["2026-02-30T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00", "1700000000", " 2026-01-01T00:00:00Z"] {
            #expect(error(#"published_at IN (1, "\#(date)")"#)?.reason == .invalidDate(date), "\(date)")
        }
        #expect(error("published_at = true")?.description
            == "published_at compares with a number (unix seconds) or an RFC 3339 date-time string at position 15")
    }

    @Test func requiresAStringAfterHAS() {
        #expect(error("categories HAS 5")?.description == "HAS needs a string at position 15")
        #expect(error("categories has TRUE")?.description == "HAS needs a string at position 15")
        #expect(error("categories HAS")?.description == #"expected a string after "HAS", found the end of the filter at position 14"#)
    }

    @Test func rejectsBadLabelNames() {
        #expect(error("EXISTS labels.")?.description
            == #"invalid label name "": a name is 1 to 64 characters of A-Z, a-z, 0-9, _ and - at position 14"#)
        let tooLong = String(repeating: "n", count: 65)
        #expect(error("EXISTS labels.\(tooLong)")?.reason == .invalidLabelName(tooLong))
        #expect(error("labels.a.b = 1")?.description == #"unexpected character "." at position 8"#)
        #expect(error("labels .a = 1")?.position == 0)
    }

    @Test func countsPositionsInCharactersNotBytes() {
        // "👍🏽" is one Character of two scalars and eight bytes.
        #expect(error(##"labels.a = "é👍🏽" OR #"##)?.description == ##"unexpected character "#" at position 19"##)
    }

    @Test func showsInvisibleCharactersByCodePoint() {
        #expect(error("labels.a = 1 \u{7}")?.description == "unexpected character U+0007 at position 13")
        #expect(error("labels.a = 1 \u{A0}")?.description == "unexpected character U+00A0 at position 13")
        #expect(error("labels.a = 1 é")?.description == #"unexpected character "é" (U+00E9) at position 13"#)
    }

    /// The error parsing `text` throws, or nil when it parses.
    private func error(_ text: String) -> FilterError? {
        do {
            _ = try FilterParser.parse(text)
            return nil
        } catch {
            return error
        }
    }
}
