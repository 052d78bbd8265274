/// A parsed filter: tests combined with `AND`, `OR` and `NOT`.
///
/// `a AND b AND c` parses as `.and(.and(a, b), c)`; parentheses leave no node of their own. ``description``
/// prints canonical text (upper-case keywords, one space around operators, parentheses only where needed) that
/// parses back to an equal expression, though it may be longer than the text it came from (`1e3` prints as
/// `1000`, a date as unix seconds).
package indirect enum FilterExpression: Sendable, Equatable, CustomStringConvertible {
    case test(FilterTest)
    case not(FilterExpression)
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)

    /// The expression as canonical filter text.
    package var description: String {
        switch self {
        case .test(let test):
            test.description
        case .not(let operand):
            "NOT " + operand.text(parenthesizedIf: operand.isBinary)
        case let .and(left, right):
            left.text(parenthesizedIf: left.isOr) + " AND " + right.text(parenthesizedIf: right.isBinary)
        case let .or(left, right):
            left.description + " OR " + right.text(parenthesizedIf: right.isOr)
        }
    }

    // The left operand of AND/OR may be of the same kind without parentheses (the chain is left-associative);
    // the right one may not, or it would join the chain when parsed again.
    private func text(parenthesizedIf condition: Bool) -> String {
        condition ? "(\(description))" : description
    }

    private var isBinary: Bool {
        switch self {
        case .and, .or: true
        case .test, .not: false
        }
    }

    private var isOr: Bool {
        if case .or = self { true } else { false }
    }
}
