import EventFormats
import Filtering
import LinearAlgebra

/// The catalogue's columns as a filter reads them, over `0..<itemCount` (the store's items, with or without a
/// record): each leaf test is one posting-set lookup or one scan of a dense column.
struct CatalogueFilterView: FilterColumns {
    let columns: CatalogueColumns
    let itemCount: Int

    func items(inCategory category: String) -> BitSet {
        bitSet(columns.categories[ExactID(category)])
    }

    func items(withLabel name: String) -> BitSet {
        columns.labelHolders[name]?.resized(to: itemCount) ?? BitSet(count: itemCount)
    }

    func items(label name: String, equalTo value: FilterValue) -> BitSet {
        switch value {
        case .string(let text):
            var result = bitSet(columns.stringLabels[name]?[ExactID(text)])
            result.formUnion(bitSet(columns.arrayLabels[name]?[ExactID(text)]))
            return result
        case .bool(let flag):
            return bitSet(columns.boolLabels[name]?[flag])
        case .number(let number):
            return scan(columns.numberLabels[name]) { $0 == number }
        }
    }

    func items(label name: String, _ ordering: FilterOrdering, _ value: FilterValue) -> BitSet {
        switch value {
        case .number(let number):
            return scan(columns.numberLabels[name]) { ordering.holds($0, number) }
        case .string(let text):
            // One comparison per distinct value, not per item.
            var result = BitSet(count: itemCount)
            for (candidate, members) in columns.stringLabels[name] ?? [:] where ordering.holds(candidate.text.utf8, text.utf8) {
                for member in members { result.insert(Int(member)) }
            }
            return result
        case .bool:
            return BitSet(count: itemCount)
        }
    }

    func itemsWithPublishedAt() -> BitSet {
        scan(columns.publishedAt) { _ in true }
    }

    func items(publishedAtEqualTo seconds: Double) -> BitSet {
        scan(columns.publishedAt) { $0 == seconds }
    }

    func items(publishedAt ordering: FilterOrdering, _ seconds: Double) -> BitSet {
        scan(columns.publishedAt) { ordering.holds($0, seconds) }
    }

    private func bitSet(_ members: Set<Int32>?) -> BitSet {
        var result = BitSet(count: itemCount)
        for member in members ?? [] { result.insert(Int(member)) }
        return result
    }

    /// The items whose value in `column` is a number (not NaN) that `matches`.
    private func scan(_ column: [Double]?, _ matches: (Double) -> Bool) -> BitSet {
        var result = BitSet(count: itemCount)
        guard let column else { return result }
        for index in 0..<min(itemCount, column.count) where !column[index].isNaN && matches(column[index]) { result.insert(index) }
        return result
    }
}

extension FilterOrdering {
    /// True when `left` stands in this ordering to `right`.
    fileprivate func holds(_ left: Double, _ right: Double) -> Bool {
        switch self {
        case .less: left < right
        case .lessOrEqual: left <= right
        case .greater: left > right
        case .greaterOrEqual: left >= right
        }
    }

    /// The same for strings, by their UTF-8 bytes.
    fileprivate func holds(_ left: String.UTF8View, _ right: String.UTF8View) -> Bool {
        let isLess = left.lexicographicallyPrecedes(right)
        let isEqual = !isLess && left.elementsEqual(right)
        switch self {
        case .less: return isLess
        case .lessOrEqual: return isLess || isEqual
        case .greater: return !isLess && !isEqual
        case .greaterOrEqual: return !isLess
        }
    }
}
