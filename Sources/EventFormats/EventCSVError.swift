/// Why an event CSV file was rejected. Line numbers are 1-based physical lines; the header is line 1.
package enum EventCSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The CSV syntax itself is broken, or the file cannot be read.
    case csv(CSVError)
    /// The input has no header line.
    case missingHeader
    /// A required column (`user`, `item` or `timestamp`) is not in the header.
    case missingColumn(name: String, header: [String])
    /// A column the reader uses appears twice in the header.
    case duplicateColumn(name: String)
    /// A row has a different number of fields than the header.
    case fieldCountMismatch(line: Int, expected: Int, found: Int)
    /// `user` or `item` is empty.
    case emptyField(line: Int, column: String)
    /// A field the reader uses is not valid UTF-8.
    case invalidUTF8(line: Int, column: String)
    /// The timestamp is neither a plain decimal nor RFC 3339 with an offset, or is not finite.
    case invalidTimestamp(line: Int, text: String)
    /// The timestamp is before ``earliestTimestamp`` (0000-01-01T00:00:00+23:59).
    case timestampTooEarly(line: Int, text: String)
    /// The weight is not a finite number.
    case invalidWeight(line: Int, text: String)

    /// A message for the user, with the line or path involved.
    package var description: String {
        switch self {
        case let .csv(error):
            error.description
        case .missingHeader:
            "the file is empty: expected a header line user,item,timestamp[,weight][,type]"
        case let .missingColumn(name, header):
            "the header has no \"\(name)\" column (found: \(header.joined(separator: ",")))"
        case let .duplicateColumn(name):
            "the header names the \"\(name)\" column twice"
        case let .fieldCountMismatch(line, expected, found):
            "line \(line): expected \(expected) fields as in the header, found \(found)"
        case let .emptyField(line, column):
            "line \(line): \(column) is empty"
        case let .invalidUTF8(line, column):
            "line \(line): \(column) is not valid UTF-8"
        case let .invalidTimestamp(line, text):
            "line \(line): timestamp \"\(text)\" is neither unix seconds nor RFC 3339 with an offset"
        case let .timestampTooEarly(line, text):
            "line \(line): timestamp \"\(text)\" is before 0000-01-01T00:00:00+23:59 (unix seconds \(Int(earliestTimestamp))), the earliest RFC 3339 time"
        case let .invalidWeight(line, text):
            "line \(line): weight \"\(text)\" is not a finite number"
        }
    }
}
