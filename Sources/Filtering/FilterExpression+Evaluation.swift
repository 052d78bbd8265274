import LinearAlgebra

extension FilterExpression {
    /// The items of `columns` that pass the filter.
    ///
    /// Asks `columns` once per test and combines the sets a word at a time: `NOT` is the complement over
    /// `itemCount`, `AND NOT x` subtracts `x` without building its complement.
    package func items(in columns: some FilterColumns) -> BitSet {
        switch self {
        case .test(let test):
            return test.items(in: columns)
        case .not(let operand):
            return operand.items(in: columns).complemented()
        case let .and(left, .not(negated)):
            var result = left.items(in: columns)
            result.subtract(negated.items(in: columns))
            return result
        case let .and(left, right):
            var result = left.items(in: columns)
            result.formIntersection(right.items(in: columns))
            return result
        case let .or(left, right):
            var result = left.items(in: columns)
            result.formUnion(right.items(in: columns))
            return result
        }
    }
}

extension FilterTest {
    /// The items of `columns` that pass this test.
    func items(in columns: some FilterColumns) -> BitSet {
        switch self {
        case .hasCategory(let category):
            return columns.items(inCategory: category)
        case .labelExists(let name):
            return columns.items(withLabel: name)
        case let .label(name, .equal, value):
            return columns.items(label: name, equalTo: value)
        case let .label(name, .notEqual, value):
            var result = columns.items(withLabel: name)
            result.subtract(columns.items(label: name, equalTo: value))
            return result
        case let .label(name, comparison, value):
            return columns.items(label: name, comparison.ordering!, value)  // = and != are matched above
        case let .labelIn(name, values):
            return union(over: values, count: columns.itemCount) { columns.items(label: name, equalTo: $0) }
        case .publishedAtExists:
            return columns.itemsWithPublishedAt()
        case let .publishedAt(.equal, seconds):
            return columns.items(publishedAtEqualTo: seconds)
        case let .publishedAt(.notEqual, seconds):
            var result = columns.itemsWithPublishedAt()
            result.subtract(columns.items(publishedAtEqualTo: seconds))
            return result
        case let .publishedAt(comparison, seconds):
            return columns.items(publishedAt: comparison.ordering!, seconds)  // = and != are matched above
        case .publishedAtIn(let seconds):
            return union(over: seconds, count: columns.itemCount) { columns.items(publishedAtEqualTo: $0) }
        }
    }

    private func union<Value>(over values: [Value], count: Int, _ items: (Value) -> BitSet) -> BitSet {
        var result = BitSet(count: count)
        for value in values { result.formUnion(items(value)) }
        return result
    }
}
