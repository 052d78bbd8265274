/// Why a matrix could not be built or an operation could not run.
package enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two parallel inputs (e.g. rows and values) have different lengths.
    case countMismatch(what: String, expected: Int, actual: Int)
    /// An index lies outside `0..<bound`.
    case indexOutOfRange(what: String, index: Int, bound: Int)
    /// A dimension is negative or too large to be indexed by `Int32`.
    case invalidDimension(what: String, value: Int)
    /// Raw CSR arrays do not describe a valid matrix (offsets not monotonic, columns unsorted, …).
    case invalidStructure(String)

    package var description: String {
        switch self {
        case let .countMismatch(what, expected, actual):
            return "\(what): expected \(expected) entries, got \(actual)"
        case let .indexOutOfRange(what, index, bound):
            return "\(what): index \(index) is outside 0..<\(bound)"
        case let .invalidDimension(what, value):
            return "\(what): invalid dimension \(value)"
        case let .invalidStructure(reason):
            return "invalid CSR structure: \(reason)"
        }
    }
}
