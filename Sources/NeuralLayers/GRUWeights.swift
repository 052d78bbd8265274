#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra

/// A trained `GRUCell`'s weights, run over one sequence at a time: what a fitted model keeps and serving runs.
/// A value without workspaces, so any number of threads can run it at once; the same recurrence as the cell,
/// one `sgemv` per product where training batches them into `sgemm`.
package struct GRUWeights: Sendable, Equatable {
    /// W, inputs × 3·hidden, gates `[z | r | n]`.
    package let inputWeights: DenseMatrix
    /// U, hidden × 3·hidden.
    package let hiddenWeights: DenseMatrix
    /// b_x, 3·hidden.
    package let inputBias: [Float]
    /// b_h, 3·hidden.
    package let hiddenBias: [Float]

    /// Weights of the shapes `GRUCell` documents.
    package init(inputWeights: DenseMatrix, hiddenWeights: DenseMatrix, inputBias: [Float], hiddenBias: [Float]) {
        let gates = 3 * hiddenWeights.rowCount
        precondition(inputWeights.columnCount == gates && hiddenWeights.columnCount == gates, "3·hidden gate columns")
        precondition(inputBias.count == gates && hiddenBias.count == gates, "one bias per gate column")
        self.inputWeights = inputWeights
        self.hiddenWeights = hiddenWeights
        self.inputBias = inputBias
        self.hiddenBias = hiddenBias
    }

    /// A copy of `cell`'s current weights.
    package init(_ cell: GRUCell) {
        self.init(
            inputWeights: cell.inputWeights.value.matrix(), hiddenWeights: cell.hiddenWeights.value.matrix(),
            inputBias: Array(cell.inputBias.value.buffer), hiddenBias: Array(cell.hiddenBias.value.buffer))
    }

    /// Width of an input.
    package var inputWidth: Int { inputWeights.rowCount }
    /// Width of the state.
    package var hiddenWidth: Int { hiddenWeights.rowCount }

    /// Runs `steps` steps from a zero state, step t reading the `inputWidth` values at `input(t)`, and writes the
    /// last state `h_T` into `state` (`hiddenWidth` values; zero when `steps` is 0).
    package func run(steps: Int, input: (Int) -> UnsafePointer<Float>, into state: UnsafeMutablePointer<Float>) {
        let hidden = hiddenWidth, width = 3 * hidden
        state.update(repeating: 0, count: hidden)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * width) { scratch in
            let a = scratch.baseAddress!, c = a + width
            inputWeights.withUnsafeBufferPointer { w in
                hiddenWeights.withUnsafeBufferPointer { u in
                    for step in 0..<steps {
                        a.update(from: inputBias, count: width)
                        c.update(from: hiddenBias, count: width)
                        BLAS.gemv(.transpose, rows: inputWidth, columns: width, alpha: 1, a: w.baseAddress!, lda: width,
                                  x: input(step), beta: 1, y: a)
                        BLAS.gemv(.transpose, rows: hidden, columns: width, alpha: 1, a: u.baseAddress!, lda: width,
                                  x: state, beta: 1, y: c)
                        for j in 0..<hidden {
                            let z = Activation.sigmoid(a[j] + c[j])
                            let r = Activation.sigmoid(a[hidden + j] + c[hidden + j])
                            let n = Glibc.tanhf(a[2 * hidden + j] + r * c[2 * hidden + j])
                            state[j] = (1 - z) * n + z * state[j]
                        }
                    }
                }
            }
        }
    }
}
