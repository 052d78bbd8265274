import LinearAlgebra

/// The test users of strong generalization (docs/EVALUATION.md §9): users the models never trained on, each
/// with the input pairs a model folds them in from.
package struct HeldOutUsers: Sendable {
    /// Ids of the test users in byte order; row `p` of ``input`` is test user `p`.
    package let ids: [String]
    /// Input pairs, test users × catalogue, `1.0` per pair, columns ascending within a row.
    package let input: CSRMatrix
    /// Timestamp of each input pair, parallel to `input.values`.
    package let inputTimes: [Double]

    /// Number of input pairs.
    package var inputPairCount: Int { input.nonzeroCount }
}
