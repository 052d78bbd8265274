/// Why a training pass, or the saving of its models, did not succeed.
package enum TrainingError: Error, Sendable, CustomStringConvertible {
    /// The pass ended without publishing models; the previous ones keep serving.
    case failed(String)
    /// A model snapshot file could not be written.
    case io(String)

    package var description: String {
        switch self {
        case .failed(let message): "training failed: \(message)"
        case .io(let message): "I/O error: \(message)"
        }
    }
}
