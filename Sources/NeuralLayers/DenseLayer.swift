import LinearAlgebra

/// A fully connected layer on a mini-batch: `Y = X · W + b` with X batch × inputs, W inputs × outputs, b 1 × outputs.
/// Forward and backward are one `sgemm` each (tiled over the cores by `TiledGEMM`).
package final class DenseLayer {
    /// W, inputs × outputs.
    package let weights: Parameter
    /// b, 1 × outputs (no weight decay).
    package let bias: Parameter
    /// Width of the input.
    package var inputWidth: Int { weights.value.rows }
    /// Width of the output.
    package var outputWidth: Int { weights.value.columns }

    /// A layer with Glorot-uniform weights from `generator` and zero biases.
    package init(inputs: Int, outputs: Int, generator: inout Xoshiro256StarStar) {
        weights = Parameter(rows: inputs, columns: outputs)
        bias = Parameter(rows: 1, columns: outputs, decays: false)
        weights.value.fillGlorot(fanIn: inputs, fanOut: outputs, generator: &generator)
    }

    /// The layer's parameters, for the optimiser.
    package var parameters: [Parameter] { [weights, bias] }

    /// `output = input · W + b` for `batch` rows (`input` batch × inputWidth, `output` batch × outputWidth).
    package func forward(
        _ input: UnsafePointer<Float>, batch: Int, into output: UnsafeMutablePointer<Float>, maxWorkers: Int = 0
    ) {
        let width = outputWidth
        for row in 0..<batch { (output + row * width).update(from: bias.value.base, count: width) }
        TiledGEMM.multiply(
            .none, .none, m: batch, n: width, k: inputWidth, alpha: 1, a: input, lda: inputWidth,
            b: weights.value.base, ldb: width, beta: 1, c: output, ldc: width, maxWorkers: maxWorkers)
    }

    /// Adds `Xᵀ · dY` to W's gradient and the column sums of dY to b's, and writes `dX = dY · Wᵀ` into
    /// `inputGradient` when given (the first layer of a network needs none).
    package func backward(
        input: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, batch: Int,
        inputGradient: UnsafeMutablePointer<Float>?, maxWorkers: Int = 0
    ) {
        let width = outputWidth, inputs = inputWidth
        TiledGEMM.multiply(
            .transpose, .none, m: inputs, n: width, k: batch, alpha: 1, a: input, lda: inputs, b: outputGradient,
            ldb: width, beta: 1, c: weights.gradient.base, ldc: width, maxWorkers: maxWorkers)
        ColumnSums.add(outputGradient, rows: batch, columns: width, into: bias.gradient.base, maxWorkers: maxWorkers)
        if let inputGradient {
            TiledGEMM.multiply(
                .none, .transpose, m: batch, n: inputs, k: width, alpha: 1, a: outputGradient, lda: width,
                b: weights.value.base, ldb: width, beta: 0, c: inputGradient, ldc: inputs, maxWorkers: maxWorkers)
        }
    }
}
