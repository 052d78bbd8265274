/// The operator of a `field op value` test.
package enum FilterComparison: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `=`: equal; for an array label, some element is equal.
    case equal
    /// `!=`: the field exists and `=` is false (for an array label, no element is equal).
    case notEqual
    /// `<`
    case less
    /// `<=`
    case lessOrEqual
    /// `>`
    case greater
    /// `>=`
    case greaterOrEqual

    /// The operator as written in a filter.
    package var description: String {
        switch self {
        case .equal: "="
        case .notEqual: "!="
        case .less: "<"
        case .lessOrEqual: "<="
        case .greater: ">"
        case .greaterOrEqual: ">="
        }
    }

    /// The ordering this operator asks the columns for, or nil for `=` and `!=`.
    var ordering: FilterOrdering? {
        switch self {
        case .equal, .notEqual: nil
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        }
    }
}
