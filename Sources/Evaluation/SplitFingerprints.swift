import LinearAlgebra
import Models

/// The protocol's conformance hashes of a split (docs/EVALUATION.md §7): SHA-256 of `<user>\t<item>\n` for every
/// pair, sorted by `(user, item)` in byte order, over the train pairs, over the test pairs and, under strong
/// generalization, over the test users' input pairs.
package struct SplitFingerprints: Sendable, Equatable {
    /// Lowercase hex SHA-256 of the train pairs.
    package let train: String
    /// Lowercase hex SHA-256 of the test pairs.
    package let test: String
    /// Lowercase hex SHA-256 of the input pairs of strong generalization; nil for the other splits.
    package let input: String?

    /// Fingerprints of a split.
    package init(train: String, test: String, input: String? = nil) {
        self.train = train
        self.test = test
        self.input = input
    }
}
