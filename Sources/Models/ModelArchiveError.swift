/// Why a model archive could not be written or read.
package enum ModelArchiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data ends before the archive does: `needed` bytes were required, `available` were there.
    case truncated(needed: Int, available: Int)
    /// The data does not start with the archive magic (not a Recsmith model file).
    case badMagic
    /// The archive was written in a format version this build cannot read.
    case unsupportedVersion(UInt32)
    /// The archive names a model kind this build does not know.
    case unknownKind(UInt8)
    /// The stored checksum does not match the content: the file is corrupt.
    case checksumMismatch(stored: UInt64, computed: UInt64)
    /// The content passed the checksum but is inconsistent (dimensions, offsets, indices).
    case invalidPayload(String)
    /// The model is not one of this module's types, so it has no archive layout.
    case unsupportedModel(String)
    /// A system call failed.
    case io(operation: String, path: String, code: Int32, message: String)

    package var description: String {
        switch self {
        case let .truncated(needed, available):
            return "model archive is truncated: needs \(needed) bytes, has \(available)"
        case .badMagic:
            return "not a Recsmith model archive (bad magic)"
        case let .unsupportedVersion(version):
            return "model archive format version \(version) is not supported"
        case let .unknownKind(code):
            return "model archive has unknown model kind code \(code)"
        case let .checksumMismatch(stored, computed):
            return "model archive is corrupt: checksum \(stored) stored, \(computed) computed"
        case let .invalidPayload(reason):
            return "model archive is inconsistent: \(reason)"
        case let .unsupportedModel(type):
            return "cannot archive model of type \(type)"
        case let .io(operation, path, code, message):
            return "\(operation) \(path) failed: \(message) (errno \(code))"
        }
    }
}
