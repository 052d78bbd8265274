/// Why an index could not be built, saved or loaded.
package enum NearestNeighborsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is outside its range (`HNSWParameters` documents each range).
    case invalidParameter(name: String, value: String, range: String)
    /// The vectors do not form `count × dimension` floats: `dimension` is not positive, or the storage holds
    /// `actual` floats, not a multiple of it.
    case invalidShape(dimension: Int, actual: Int)
    /// More items than `Int32` ids can name.
    case tooManyItems(Int)
    /// Item `item` has a NaN or infinite component.
    case nonFiniteVector(item: Int)
    /// The file ends before the index does: `needed` bytes, `available` there.
    case truncated(needed: Int, available: Int)
    /// The file does not start with the index magic: not a Recsmith HNSW index.
    case badMagic
    /// The file was written in a format version this build cannot read.
    case unsupportedVersion(UInt32)
    /// The file names a metric this build does not know.
    case unknownMetric(UInt8)
    /// The stored checksum does not match the content: the file is corrupt.
    case checksumMismatch(stored: UInt64, computed: UInt64)
    /// The content passed the checksum but is inconsistent (header fields, levels, links).
    case invalidFile(String)
    /// A system call failed.
    case io(operation: String, path: String, code: Int32, message: String)

    package var description: String {
        switch self {
        case let .invalidParameter(name, value, range):
            return "HNSW parameter \(name) = \(value) is outside \(range)"
        case let .invalidShape(dimension, actual):
            return "vectors of dimension \(dimension) cannot be \(actual) floats"
        case let .tooManyItems(count):
            return "\(count) items exceed the \(Int32.max) an index can hold"
        case let .nonFiniteVector(item):
            return "vector of item \(item) has a NaN or infinite component"
        case let .truncated(needed, available):
            return "HNSW index file is truncated: needs \(needed) bytes, has \(available)"
        case .badMagic:
            return "not a Recsmith HNSW index (bad magic)"
        case let .unsupportedVersion(version):
            return "HNSW index format version \(version) is not supported"
        case let .unknownMetric(code):
            return "HNSW index has unknown metric code \(code)"
        case let .checksumMismatch(stored, computed):
            return "HNSW index is corrupt: checksum \(stored) stored, \(computed) computed"
        case let .invalidFile(reason):
            return "HNSW index is inconsistent: \(reason)"
        case let .io(operation, path, code, message):
            return "\(operation) \(path) failed: \(message) (errno \(code))"
        }
    }
}
