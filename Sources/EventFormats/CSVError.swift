/// Why a CSV stream could not be read. Line numbers are 1-based physical lines of the file.
package enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened.
    case cannotOpen(path: String, errno: Int32, reason: String)
    /// Reading the file failed part-way.
    case readFailed(path: String, errno: Int32, reason: String)
    /// A quoted field was still open at the end of the input; `line` is where its record starts.
    case unterminatedQuote(line: Int)
    /// A closing quote was followed by something other than a comma or a line break.
    case textAfterClosingQuote(line: Int)
    /// A record grew past the reader's `maxRecordLength` bytes (usually a quote that never closes).
    case recordTooLong(line: Int, limit: Int)

    /// A message for the user, with the line or path involved.
    package var description: String {
        switch self {
        case let .cannotOpen(path, errno, reason):
            "cannot open \(path): \(reason) (errno \(errno))"
        case let .readFailed(path, errno, reason):
            "cannot read \(path): \(reason) (errno \(errno))"
        case let .unterminatedQuote(line):
            "line \(line): quoted field is not closed before the end of the file"
        case let .textAfterClosingQuote(line):
            "line \(line): a closing quote must be followed by a comma or a line break"
        case let .recordTooLong(line, limit):
            "line \(line): record is longer than \(limit) bytes"
        }
    }
}
