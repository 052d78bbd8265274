/// Why a configuration could not be resolved: a bad value, key or file, with the message saying which and why.
package enum ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// A setting is missing or invalid.
    case invalid(String)
    /// A file could not be read or written.
    case io(String)

    package var description: String {
        switch self {
        case .invalid(let message): "configuration error: \(message)"
        case .io(let message): "I/O error: \(message)"
        }
    }
}
