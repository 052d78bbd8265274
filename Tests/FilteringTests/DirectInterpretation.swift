import Filtering

/// Whether one item passes `expression`, read straight off the AST and the contract's rules, with no bitsets:
/// the oracle the bitset evaluation is checked against.
func passes(_ expression: FilterExpression, _ record: TestRecord?) -> Bool {
    switch expression {
    case .test(let test): passes(test, record)
    case .not(let operand): !passes(operand, record)
    case let .and(left, right): passes(left, record) && passes(right, record)
    case let .or(left, right): passes(left, record) || passes(right, record)
    }
}

private func passes(_ test: FilterTest, _ record: TestRecord?) -> Bool {
    // An item without a record has no categories and no fields.
    let record = record ?? TestRecord()
    switch test {
    case .hasCategory(let category):
        return record.categories.contains { exactlyEqual($0, category) }
    case .labelExists(let name):
        return record.labels[name] != nil
    case let .label(name, comparison, value):
        guard let label = record.labels[name] else { return false }
        switch comparison {
        case .equal: return labelEquals(label, value)
        case .notEqual: return !labelEquals(label, value)
        case .less: return labelOrders(label, .less, value)
        case .lessOrEqual: return labelOrders(label, .lessOrEqual, value)
        case .greater: return labelOrders(label, .greater, value)
        case .greaterOrEqual: return labelOrders(label, .greaterOrEqual, value)
        }
    case let .labelIn(name, values):
        guard let label = record.labels[name] else { return false }
        return values.contains { labelEquals(label, $0) }
    case .publishedAtExists:
        return record.publishedAt != nil
    case let .publishedAt(comparison, seconds):
        guard let publishedAt = record.publishedAt else { return false }
        switch comparison {
        case .equal: return publishedAt == seconds
        case .notEqual: return publishedAt != seconds
        case .less: return publishedAt < seconds
        case .lessOrEqual: return publishedAt <= seconds
        case .greater: return publishedAt > seconds
        case .greaterOrEqual: return publishedAt >= seconds
        }
    case .publishedAtIn(let seconds):
        guard let publishedAt = record.publishedAt else { return false }
        return seconds.contains(publishedAt)
    }
}
