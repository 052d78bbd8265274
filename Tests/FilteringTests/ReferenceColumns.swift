import Filtering
import LinearAlgebra

/// A label value of a test record: what the catalogue's records hold.
enum TestLabel: Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case strings([String])
}

/// An item's record for the tests: categories, labels and a publication time.
struct TestRecord: Sendable {
    var categories: [String] = []
    var labels: [String: TestLabel] = [:]
    var publishedAt: Double?
}

/// ``FilterColumns`` over an array of records (nil: an item without a record), each leaf computed by a plain
/// scan with the contract's rules written out directly.
struct ReferenceColumns: FilterColumns {
    let records: [TestRecord?]

    var itemCount: Int { records.count }

    func items(inCategory category: String) -> BitSet {
        items { $0.categories.contains { exactlyEqual($0, category) } }
    }

    func items(withLabel name: String) -> BitSet {
        items { $0.labels[name] != nil }
    }

    func items(label name: String, equalTo value: FilterValue) -> BitSet {
        items { record in record.labels[name].map { labelEquals($0, value) } ?? false }
    }

    func items(label name: String, _ ordering: FilterOrdering, _ value: FilterValue) -> BitSet {
        items { record in record.labels[name].map { labelOrders($0, ordering, value) } ?? false }
    }

    func itemsWithPublishedAt() -> BitSet {
        items { $0.publishedAt != nil }
    }

    func items(publishedAtEqualTo seconds: Double) -> BitSet {
        items { $0.publishedAt == seconds }
    }

    func items(publishedAt ordering: FilterOrdering, _ seconds: Double) -> BitSet {
        items { record in record.publishedAt.map { orders($0, ordering, seconds) } ?? false }
    }

    private func items(where predicate: (TestRecord) -> Bool) -> BitSet {
        var result = BitSet(count: records.count)
        for (index, record) in records.enumerated() where record.map(predicate) ?? false {
            result.insert(index)
        }
        return result
    }
}

/// Strings are equal when their UTF-8 bytes are (no Unicode normalization).
func exactlyEqual(_ left: String, _ right: String) -> Bool {
    left.utf8.elementsEqual(right.utf8)
}

/// `label = value`: same type and equal; an array when any element is.
func labelEquals(_ label: TestLabel, _ value: FilterValue) -> Bool {
    switch (label, value) {
    case let (.string(left), .string(right)): exactlyEqual(left, right)
    case let (.number(left), .number(right)): left == right
    case let (.bool(left), .bool(right)): left == right
    case let (.strings(elements), .string(right)): elements.contains { exactlyEqual($0, right) }
    default: false
    }
}

/// `label ordering value`: numbers numerically, strings by UTF-8 bytes, nothing else.
func labelOrders(_ label: TestLabel, _ ordering: FilterOrdering, _ value: FilterValue) -> Bool {
    switch (label, value) {
    case let (.number(left), .number(right)):
        orders(left, ordering, right)
    case let (.string(left), .string(right)):
        orders(Array(left.utf8).lexicographicallyPrecedes(right.utf8) ? -1 : (exactlyEqual(left, right) ? 0 : 1),
               ordering, 0)
    default:
        false
    }
}

func orders<T: Comparable>(_ left: T, _ ordering: FilterOrdering, _ right: T) -> Bool {
    switch ordering {
    case .less: left < right
    case .lessOrEqual: left <= right
    case .greater: left > right
    case .greaterOrEqual: left >= right
    }
}
