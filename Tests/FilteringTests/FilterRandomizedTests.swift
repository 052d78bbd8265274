import Filtering
import LinearAlgebra
import Testing

/// Random expressions over random records, from a fixed seed: canonical text reads back as the same
/// expression, and bitset evaluation agrees with interpreting the expression item by item.
struct FilterRandomizedTests {
    @Test func canonicalTextReadsBackAsTheSameExpression() throws {
        var generator = RandomFilters(seed: 1)
        for _ in 0..<2_000 {
            let expression = generator.expression(depth: 5)
            let text = expression.description
            let parsed = try FilterParser.parse(text)
            #expect(parsed == expression, "\(text)")
            #expect(parsed.description == text)
        }
    }

    @Test func bitsetEvaluationAgreesWithItemByItemInterpretation() throws {
        var generator = RandomFilters(seed: 2)
        for _ in 0..<20 {
            let records = (0..<70).map { _ in generator.record() }
            let columns = ReferenceColumns(records: records)
            for _ in 0..<100 {
                let expression = generator.expression(depth: 5)
                let expected = BitSet(count: records.count, indices: records.indices.filter { passes(expression, records[$0]) })
                #expect(expression.items(in: columns) == expected, "\(expression)")
            }
        }
    }
}

/// Draws expressions and records from small pools, so that tests often match and values often collide.
private struct RandomFilters {
    private var random: Xoshiro256StarStar

    init(seed: UInt64) {
        random = Xoshiro256StarStar(seed: seed)
    }

    private let names = ["brand", "price", "tags", "new", "Brand", "x-1_y"]
    private let strings = ["acme", "Acme", "zeta", "é", "e\u{301}", "red", "sale", "", "q\"b\\s/\n\u{1}", "😀"]
    private let numbers: [Double] = [0, 40, 50, 60, -1.5, 0.1, 1e300, 0x1p53 + 2]
    private let categories = ["shoes", "used", "Used", "ü"]
    private let times: [Double] = [0, -1, 1_700_000_000, 1_800_000_000, 1_750_000_000.5]

    mutating func expression(depth: Int) -> FilterExpression {
        guard depth > 0, random.nextIndex(below: 3) != 0 else { return .test(test()) }
        switch random.nextIndex(below: 3) {
        case 0: return .not(expression(depth: depth - 1))
        case 1: return .and(expression(depth: depth - 1), expression(depth: depth - 1))
        default: return .or(expression(depth: depth - 1), expression(depth: depth - 1))
        }
    }

    mutating func record() -> TestRecord? {
        guard random.nextIndex(below: 8) != 0 else { return nil }
        var record = TestRecord()
        record.categories = categories.filter { _ in random.nextIndex(below: 3) == 0 }
        for name in names where random.nextIndex(below: 2) == 0 {
            record.labels[name] = label()
        }
        if random.nextIndex(below: 3) != 0 { record.publishedAt = pick(times) }
        return record
    }

    private mutating func test() -> FilterTest {
        switch random.nextIndex(below: 7) {
        case 0: .hasCategory(pick(categories))
        case 1: .labelExists(pick(names))
        case 2, 3: .label(pick(names), pick(FilterComparison.allCases), value())
        case 4: .labelIn(pick(names), (0...random.nextIndex(below: 3)).map { _ in value() })
        case 5: random.nextIndex(below: 4) == 0 ? .publishedAtExists : .publishedAt(pick(FilterComparison.allCases), pick(times))
        default: .publishedAtIn((0...random.nextIndex(below: 3)).map { _ in pick(times) })
        }
    }

    private mutating func value() -> FilterValue {
        switch random.nextIndex(below: 5) {
        case 0, 1: .string(pick(strings))
        case 2, 3: .number(pick(numbers))
        default: .bool(random.nextIndex(below: 2) == 0)
        }
    }

    private mutating func label() -> TestLabel {
        switch random.nextIndex(below: 4) {
        case 0: .string(pick(strings))
        case 1: .number(pick(numbers))
        case 2: .bool(random.nextIndex(below: 2) == 0)
        default: .strings(strings.filter { _ in random.nextIndex(below: 4) == 0 })
        }
    }

    private mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[random.nextIndex(below: elements.count)]
    }
}
