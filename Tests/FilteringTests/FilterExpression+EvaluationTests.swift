import Filtering
import LinearAlgebra
import Testing

/// The contract's semantics, through bitsets over ``ReferenceColumns``.
struct FilterExpressionEvaluationTests {
    private static let records: [TestRecord?] = [
        // 0
        TestRecord(
            categories: ["shoes"],
            labels: ["brand": .string("acme"), "price": .number(40), "tags": .strings(["red", "sale"]), "new": .bool(true)],
            publishedAt: 1_700_000_000
        ),
        // 1
        TestRecord(categories: ["shoes", "used"], labels: ["brand": .string("Acme"), "price": .number(60)],
                   publishedAt: 1_800_000_000),
        // 2: the price is a string, no publication time
        TestRecord(categories: ["used"], labels: ["brand": .string("zeta"), "price": .string("cheap")]),
        // 3: no record at all
        nil,
        // 4: an empty record
        TestRecord(),
        // 5: "é" as one scalar; the name as "e" and a combining accent
        TestRecord(labels: ["brand": .string("é"), "name": .string("e\u{301}"), "price": .number(50),
                            "tags": .strings([])],
                   publishedAt: -1),
    ]
    private let columns = ReferenceColumns(records: records)

    @Test func selectsTheContractsExample() throws {
        #expect(try items(#"labels.brand = "acme" AND labels.price < 50 AND NOT categories HAS "used""#) == [0])
    }

    @Test func comparesStringsExactly() throws {
        #expect(try items(#"labels.brand = "acme""#) == [0])
        #expect(try items(#"labels.brand = "ACME""#) == [])
        #expect(try items(#"labels.name = "é""#) == [], "canonically equivalent is not equal")
        #expect(try items("labels.name = \"e\u{301}\"") == [5])
    }

    @Test func comparesNumbersNumerically() throws {
        #expect(try items("labels.price = 40.0") == [0])
        #expect(try items("labels.price = 4e1") == [0])
    }

    @Test func comparesBooleans() throws {
        #expect(try items("labels.new = true") == [0])
        #expect(try items("labels.new = FALSE") == [])
    }

    @Test func findsNothingOnATypeMismatch() throws {
        #expect(try items(#"labels.price = "40""#) == [])
        #expect(try items("labels.new = 1") == [])
        #expect(try items(#"labels.price < "z""#) == [2])
        #expect(try items("labels.price < 1000") == [0, 1, 5])
    }

    @Test func matchesAnArrayWhenAnyElementDoes() throws {
        #expect(try items(#"labels.tags = "sale""#) == [0])
        #expect(try items(#"labels.tags IN ("blue", "red")"#) == [0])
        #expect(try items(#"labels.tags = "blue""#) == [])
    }

    @Test func neverOrdersArraysOrBooleans() throws {
        #expect(try items(#"labels.tags < "zzz""#) == [])
        #expect(try items(#"labels.tags >= "a""#) == [])
        #expect(try items("labels.new <= true") == [])
        #expect(try items("labels.new > false") == [])
    }

    @Test func ordersNumbersNumericallyAndStringsByUTF8Bytes() throws {
        #expect(try items("labels.price < 50") == [0])
        #expect(try items("labels.price <= 50") == [0, 5])
        #expect(try items("labels.price > 50") == [1])
        #expect(try items("labels.price >= 50") == [1, 5])
        #expect(try items(#"labels.brand < "a""#) == [1], "\"A\" is 0x41")
        #expect(try items(#"labels.brand > "zeta""#) == [5], "\"é\" starts with 0xC3")
        #expect(try items(#"labels.name < "é""#) == [5], "e + U+0301 is 65 CC 81, é is C3 A9")
    }

    @Test func notEqualNeedsTheFieldAndNoEqualValue() throws {
        #expect(try items(#"labels.brand != "acme""#) == [1, 2, 5])
        #expect(try items("labels.price != 40") == [1, 2, 5], "a string price is not equal to 40")
        #expect(try items(#"labels.tags != "sale""#) == [5])
        #expect(try items(#"labels.tags != "blue""#) == [0, 5])
        #expect(try items(#"labels.color != "red""#) == [])
    }

    @Test func matchesNothingOnAMissingField() throws {
        #expect(try items(#"labels.color = "red""#) == [])
        #expect(try items(#"labels.color < "red""#) == [])
        #expect(try items(#"labels.color IN ("red", 1)"#) == [])
        #expect(try items(#"NOT labels.color = "red""#) == [0, 1, 2, 3, 4, 5])
    }

    @Test func treatsINAsEqualsAny() throws {
        #expect(try items(#"labels.brand IN ("acme", "zeta", 40)"#) == [0, 2])
        #expect(try items("labels.price IN (60, 50)") == [1, 5])
    }

    @Test func existsWhateverTheValue() throws {
        #expect(try items("EXISTS labels.tags") == [0, 5])
        #expect(try items("EXISTS labels.price") == [0, 1, 2, 5])
        #expect(try items("EXISTS published_at") == [0, 1, 5])
    }

    @Test func comparesPublishedAtWithSecondsOrDates() throws {
        #expect(try items("published_at > 1750000000") == [1])
        #expect(try items("published_at = 1700000000") == [0])
        #expect(try items(#"published_at < "2024-01-01T00:00:00Z""#) == [0, 5])
        #expect(try items(#"published_at >= "2027-01-15T09:00:00+01:00""#) == [1])
        #expect(try items(#"published_at <= "1969-12-31T23:59:59Z""#) == [5])
        #expect(try items(#"published_at IN (1700000000, "2027-01-15T08:00:00Z")"#) == [0, 1])
    }

    @Test func comparesNothingWithoutAPublicationTime() throws {
        #expect(try items("published_at != 1700000000") == [1, 5])
        #expect(try items("published_at > -1e300") == [0, 1, 5])
        #expect(try items("published_at < 1e300") == [0, 1, 5])
    }

    @Test func letsItemsWithoutARecordPassNegations() throws {
        #expect(try items(#"categories HAS "used""#) == [1, 2])
        #expect(try items(#"NOT categories HAS "used""#) == [0, 3, 4, 5])
        #expect(try items("NOT EXISTS published_at") == [2, 3, 4])
    }

    @Test func combinesWithPrecedenceAndParentheses() throws {
        let either = #"labels.brand = "acme" OR labels.brand = "zeta" AND categories HAS "shoes""#
        #expect(try items(either) == [0])
        let grouped = #"(labels.brand = "acme" OR labels.brand = "zeta") AND categories HAS "used""#
        #expect(try items(grouped) == [2])
        #expect(try items(#"NOT (categories HAS "used" OR EXISTS labels.tags)"#) == [3, 4])
        #expect(try items(#"EXISTS labels.brand AND NOT categories HAS "shoes""#) == [2, 5])
    }

    @Test func asksTheColumnsOncePerTest() throws {
        let counting = CountingColumns(base: columns)
        let filter = try FilterParser.parse(
            #"(categories HAS "a" OR labels.b < 1) AND NOT EXISTS published_at AND labels.c IN (1, 2)"#
        )
        _ = filter.items(in: counting)
        #expect(counting.calls == ["inCategory", "labelOrdering", "publishedAt", "labelEqual", "labelEqual"])
    }

    @Test func returnsASetOverEveryItem() throws {
        #expect(try FilterParser.parse("NOT EXISTS labels.a").items(in: columns) == BitSet.full(count: 6))
        let empty = ReferenceColumns(records: [])
        #expect(try FilterParser.parse("NOT EXISTS labels.a").items(in: empty).count == 0)
    }

    private func items(_ filter: String) throws -> [Int] {
        var result: [Int] = []
        try FilterParser.parse(filter).items(in: columns).forEach { result.append($0) }
        return result
    }
}

/// Records which column each leaf asked for.
private final class CountingColumns: FilterColumns {
    let base: ReferenceColumns
    private(set) var calls: [String] = []

    init(base: ReferenceColumns) {
        self.base = base
    }

    var itemCount: Int { base.itemCount }

    func items(inCategory category: String) -> BitSet {
        calls.append("inCategory")
        return base.items(inCategory: category)
    }

    func items(withLabel name: String) -> BitSet {
        calls.append("withLabel")
        return base.items(withLabel: name)
    }

    func items(label name: String, equalTo value: FilterValue) -> BitSet {
        calls.append("labelEqual")
        return base.items(label: name, equalTo: value)
    }

    func items(label name: String, _ ordering: FilterOrdering, _ value: FilterValue) -> BitSet {
        calls.append("labelOrdering")
        return base.items(label: name, ordering, value)
    }

    func itemsWithPublishedAt() -> BitSet {
        calls.append("publishedAt")
        return base.itemsWithPublishedAt()
    }

    func items(publishedAtEqualTo seconds: Double) -> BitSet {
        calls.append("publishedAtEqual")
        return base.items(publishedAtEqualTo: seconds)
    }

    func items(publishedAt ordering: FilterOrdering, _ seconds: Double) -> BitSet {
        calls.append("publishedAtOrdering")
        return base.items(publishedAt: ordering, seconds)
    }
}
