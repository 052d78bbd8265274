import LinearAlgebra

/// One dense layer of a fitted `MLP`: `y = x · W + b`, W inputs × outputs (row-major), b one value per output.
package struct MLPLayer: Sendable, Equatable {
    /// W, inputs × outputs.
    package let weights: DenseMatrix
    /// b, `weights.columnCount` values.
    package let bias: [Float]

    /// A layer over `weights` and `bias`, which must have one value per column of `weights`.
    package init(weights: DenseMatrix, bias: [Float]) {
        precondition(weights.columnCount == bias.count, "one bias per output")
        self.weights = weights
        self.bias = bias
    }

    /// Width of the input.
    package var inputWidth: Int { weights.rowCount }
    /// Width of the output.
    package var outputWidth: Int { weights.columnCount }
}
