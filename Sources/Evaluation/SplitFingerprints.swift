import LinearAlgebra
import Models

/// The protocol's conformance hashes of a split (docs/EVALUATION.md §7): SHA-256 of `<user>\t<item>\n` for every
/// pair, sorted by `(user, item)` in byte order, over the train pairs and over the test pairs.
package struct SplitFingerprints: Sendable, Equatable {
    /// Lowercase hex SHA-256 of the train pairs.
    package let train: String
    /// Lowercase hex SHA-256 of the test pairs.
    package let test: String
}
