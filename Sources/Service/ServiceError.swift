/// Failures of the service layer outside a request: configuration, files, training.
public enum ServiceError: Error, Sendable, CustomStringConvertible {
    /// A setting is missing or invalid; the message says which and why.
    case configuration(String)
    /// A file could not be read or written.
    case io(String)
    /// A training pass failed; the previous models keep serving.
    case training(String)

    public var description: String {
        switch self {
        case .configuration(let message): "configuration error: \(message)"
        case .io(let message): "I/O error: \(message)"
        case .training(let message): "training failed: \(message)"
        }
    }
}
