// libFuzzer entry point for the filter parser: arbitrary bytes, decoded as UTF-8 (invalid sequences become
// U+FFFD), as a filter. An error must point inside the text; an expression must print canonical text that
// parses back to itself, and evaluate over a few fixed items to a set over all of them.
// Built by Fuzz/run.sh with `swiftc -sanitize=fuzzer,address` together with Sources/Filtering.
import LinearAlgebra

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilterParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let expression: FilterExpression
    do {
        expression = try FilterParser.parse(text)
    } catch {
        precondition((0...text.count).contains(error.position), "error position outside the filter: \(error)")
        return 0
    }
    // Canonical text may outgrow the byte limit (`1e3` prints as `1000`), so it is read back without it.
    var unbounded = FilterLimits()
    unbounded.maxBytes = .max
    let canonical = expression.description
    guard let reparsed = try? FilterParser.parse(canonical, limits: unbounded) else {
        preconditionFailure("canonical text does not parse: \(canonical)")
    }
    precondition(reparsed == expression, "canonical text parses to another expression: \(canonical)")
    let items = expression.items(in: fuzzColumns)
    precondition(items.count == fuzzColumns.itemCount, "evaluation ranges over the wrong count")
    precondition(FilterExpression.not(expression).items(in: fuzzColumns) == items.complemented(), "NOT is not the complement")
    return 0
}

private let fuzzColumns = FuzzColumns(records: [
    FuzzRecord(categories: ["shoes"], labels: ["brand": .string("acme"), "price": .number(40)], tags: ["red"], publishedAt: 0),
    FuzzRecord(categories: ["used"], labels: ["brand": .string("Acme"), "new": .bool(true)], tags: [], publishedAt: 1e9),
    FuzzRecord(categories: [], labels: ["price": .string("cheap")], tags: ["red", "blue"], publishedAt: nil),
    nil,
])

/// An item of the fuzzer's catalogue; `tags` is the array label `labels.tags` when not empty.
private struct FuzzRecord {
    let categories: [String]
    let labels: [String: FilterValue]
    let tags: [String]
    let publishedAt: Double?
}

/// Columns answered by scanning the records (nil: an item without a record).
private struct FuzzColumns: FilterColumns {
    let records: [FuzzRecord?]

    var itemCount: Int { records.count }

    func items(inCategory category: String) -> BitSet {
        items { $0.categories.contains { FilterValue.string($0) == .string(category) } }
    }

    func items(withLabel name: String) -> BitSet {
        items { $0.labels[name] != nil || (name == "tags" && !$0.tags.isEmpty) }
    }

    func items(label name: String, equalTo value: FilterValue) -> BitSet {
        items { record in
            record.labels[name] == value || (name == "tags" && record.tags.contains { .string($0) == value })
        }
    }

    func items(label name: String, _ ordering: FilterOrdering, _ value: FilterValue) -> BitSet {
        items { record in
            switch (record.labels[name], value) {
            case let (.number(left)?, .number(right)): compare(left, right, ordering)
            case let (.string(left)?, .string(right)): compare(Array(left.utf8), Array(right.utf8), ordering)
            default: false
            }
        }
    }

    func itemsWithPublishedAt() -> BitSet {
        items { $0.publishedAt != nil }
    }

    func items(publishedAtEqualTo seconds: Double) -> BitSet {
        items { $0.publishedAt == seconds }
    }

    func items(publishedAt ordering: FilterOrdering, _ seconds: Double) -> BitSet {
        items { record in record.publishedAt.map { compare($0, seconds, ordering) } ?? false }
    }

    private func items(where predicate: (FuzzRecord) -> Bool) -> BitSet {
        var result = BitSet(count: records.count)
        for (index, record) in records.enumerated() where record.map(predicate) ?? false {
            result.insert(index)
        }
        return result
    }
}

private func compare(_ left: Double, _ right: Double, _ ordering: FilterOrdering) -> Bool {
    switch ordering {
    case .less: left < right
    case .lessOrEqual: left <= right
    case .greater: left > right
    case .greaterOrEqual: left >= right
    }
}

private func compare(_ left: [UInt8], _ right: [UInt8], _ ordering: FilterOrdering) -> Bool {
    let less = left.lexicographicallyPrecedes(right)
    let equal = left == right
    switch ordering {
    case .less: return less
    case .lessOrEqual: return less || equal
    case .greater: return !less && !equal
    case .greaterOrEqual: return !less
    }
}
