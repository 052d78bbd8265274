#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra

/// A gated recurrent unit (Cho et al. 2014, in PyTorch's form) run over a mini-batch of sequences, with
/// backpropagation through time.
///
/// For input `x_t` and state `h_{t−1}`, with the three gates side by side in the columns `[z | r | n]`:
/// `a = x_t·W + b_x`, `c = h_{t−1}·U + b_h`, `z = σ(a_z + c_z)`, `r = σ(a_r + c_r)`, `n = tanh(a_n + r ⊙ c_n)`,
/// `h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}`.
///
/// Sequences are time-major: row `t · batch + b` of the inputs is step t of sequence b. The input products of all
/// steps are one `sgemm` before the recurrence, and the weight gradients one `sgemm` each after it; only
/// `h·U` and its backward product run step by step. Every buffer is allocated at `init` for at most
/// `maxSteps × maxBatch` rows and reused.
package final class GRUCell {
    /// W, inputs × 3·hidden.
    package let inputWeights: Parameter
    /// U, hidden × 3·hidden.
    package let hiddenWeights: Parameter
    /// b_x, 1 × 3·hidden.
    package let inputBias: Parameter
    /// b_h, 1 × 3·hidden.
    package let hiddenBias: Parameter
    /// Width of an input.
    package let inputWidth: Int
    /// Width of the state.
    package let hiddenWidth: Int
    /// Most steps a call may run.
    package let maxSteps: Int
    /// Most sequences a call may run.
    package let maxBatch: Int

    /// `h_0 … h_T`, (maxSteps + 1) · batch rows of `hiddenWidth`.
    let states: Tensor
    /// Per step and sequence: `a` before the recurrence, then `[z | r | n]` after it.
    let gates: Tensor
    /// Per step and sequence: `c = h_{t−1}·U + b_h` (its n part is needed backward).
    let hiddenGates: Tensor
    /// ∂loss/∂a per step and sequence.
    let gateGradients: Tensor
    /// ∂loss/∂c per step and sequence.
    let hiddenGateGradients: Tensor
    /// ∂loss/∂h_t of the step being backpropagated, batch × hidden.
    let stateGradient: Tensor

    /// A cell with Glorot-uniform weights from `generator`, zero biases, and workspaces for `maxSteps` steps of
    /// `maxBatch` sequences.
    package init(inputs: Int, hidden: Int, maxSteps: Int, maxBatch: Int, generator: inout Xoshiro256StarStar) {
        precondition(inputs > 0 && hidden > 0 && maxSteps > 0 && maxBatch > 0, "sizes must be positive")
        inputWidth = inputs
        hiddenWidth = hidden
        self.maxSteps = maxSteps
        self.maxBatch = maxBatch
        inputWeights = Parameter(rows: inputs, columns: 3 * hidden)
        hiddenWeights = Parameter(rows: hidden, columns: 3 * hidden)
        inputBias = Parameter(rows: 1, columns: 3 * hidden, decays: false)
        hiddenBias = Parameter(rows: 1, columns: 3 * hidden, decays: false)
        inputWeights.value.fillGlorot(fanIn: inputs, fanOut: hidden, generator: &generator)
        hiddenWeights.value.fillGlorot(fanIn: hidden, fanOut: hidden, generator: &generator)
        states = Tensor(rows: (maxSteps + 1) * maxBatch, columns: hidden)
        gates = Tensor(rows: maxSteps * maxBatch, columns: 3 * hidden)
        hiddenGates = Tensor(rows: maxSteps * maxBatch, columns: 3 * hidden)
        gateGradients = Tensor(rows: maxSteps * maxBatch, columns: 3 * hidden)
        hiddenGateGradients = Tensor(rows: maxSteps * maxBatch, columns: 3 * hidden)
        stateGradient = Tensor(rows: maxBatch, columns: hidden)
    }

    /// The cell's parameters, for the optimiser.
    package var parameters: [Parameter] { [inputWeights, hiddenWeights, inputBias, hiddenBias] }

    /// `h_1 … h_T` of the last `forward`: `steps · batch` rows of `hiddenWidth`, time-major (valid until the next
    /// call).
    package func outputs(batch: Int) -> UnsafeMutablePointer<Float> { states.base + batch * hiddenWidth }

    /// Runs `steps` steps over `batch` sequences of `inputs` (steps · batch rows of `inputWidth`, time-major) from
    /// `initialState` (batch × hidden; zero when nil). Read the states with `outputs(batch:)`.
    package func forward(
        _ inputs: UnsafePointer<Float>, steps: Int, batch: Int, initialState: UnsafePointer<Float>? = nil,
        maxWorkers: Int = 0
    ) {
        precondition(steps <= maxSteps && batch <= maxBatch, "at most maxSteps × maxBatch")
        let hidden = hiddenWidth, width = 3 * hidden, rows = steps * batch
        if let initialState { states.base.update(from: initialState, count: batch * hidden) } else {
            states.base.update(repeating: 0, count: batch * hidden)
        }
        for row in 0..<rows { (gates.base + row * width).update(from: inputBias.value.base, count: width) }
        TiledGEMM.multiply(
            .none, .none, m: rows, n: width, k: inputWidth, alpha: 1, a: inputs, lda: inputWidth,
            b: inputWeights.value.base, ldb: width, beta: 1, c: gates.base, ldc: width, maxWorkers: maxWorkers)
        for step in 0..<steps {
            let previous = states.base + step * batch * hidden, next = previous + batch * hidden
            let a = gates.base + step * batch * width, c = hiddenGates.base + step * batch * width
            for row in 0..<batch { (c + row * width).update(from: hiddenBias.value.base, count: width) }
            TiledGEMM.multiply(
                .none, .none, m: batch, n: width, k: hidden, alpha: 1, a: previous, lda: hidden,
                b: hiddenWeights.value.base, ldb: width, beta: 1, c: c, ldc: width, maxWorkers: maxWorkers)
            parallelFor(count: batch, chunkSize: 16, maxWorkers: maxWorkers) { range, _ in
                for row in range {
                    let a = a + row * width, c = c + row * width
                    let h = previous + row * hidden, out = next + row * hidden
                    for j in 0..<hidden {
                        let z = Activation.sigmoid(a[j] + c[j])
                        let r = Activation.sigmoid(a[hidden + j] + c[hidden + j])
                        let n = Glibc.tanhf(a[2 * hidden + j] + r * c[2 * hidden + j])
                        a[j] = z
                        a[hidden + j] = r
                        a[2 * hidden + j] = n
                        out[j] = (1 - z) * n + z * h[j]
                    }
                }
            }
        }
    }

    /// Backpropagates through the last `forward` (same `inputs`, `steps`, `batch`): `outputGradients` holds
    /// ∂loss/∂h_t for t = 1…T (steps · batch rows of `hiddenWidth`). Adds the parameters' gradients; writes
    /// ∂loss/∂x_t into `inputGradients` and ∂loss/∂h_0 into `initialStateGradient` when given.
    package func backward(
        _ inputs: UnsafePointer<Float>, steps: Int, batch: Int, outputGradients: UnsafePointer<Float>,
        inputGradients: UnsafeMutablePointer<Float>? = nil, initialStateGradient: UnsafeMutablePointer<Float>? = nil,
        maxWorkers: Int = 0
    ) {
        let hidden = hiddenWidth, width = 3 * hidden, rows = steps * batch
        let running = stateGradient.base
        running.update(repeating: 0, count: batch * hidden)
        for step in stride(from: steps - 1, through: 0, by: -1) {
            let previous = states.base + step * batch * hidden
            let activations = gates.base + step * batch * width, c = hiddenGates.base + step * batch * width
            let da = gateGradients.base + step * batch * width, dc = hiddenGateGradients.base + step * batch * width
            let incoming = outputGradients + step * batch * hidden
            parallelFor(count: batch, chunkSize: 16, maxWorkers: maxWorkers) { range, _ in
                for row in range {
                    let g = activations + row * width, c = c + row * width
                    let da = da + row * width, dc = dc + row * width
                    let h = previous + row * hidden, dh = running + row * hidden, external = incoming + row * hidden
                    for j in 0..<hidden {
                        let z = g[j], r = g[hidden + j], n = g[2 * hidden + j]
                        let gradient = dh[j] + external[j]
                        let dn = gradient * (1 - z) * (1 - n * n)
                        let dz = gradient * (h[j] - n) * z * (1 - z)
                        let dr = dn * c[2 * hidden + j] * r * (1 - r)
                        da[j] = dz
                        da[hidden + j] = dr
                        da[2 * hidden + j] = dn
                        dc[j] = dz
                        dc[hidden + j] = dr
                        dc[2 * hidden + j] = dn * r
                        dh[j] = gradient * z
                    }
                }
            }
            TiledGEMM.multiply(
                .none, .transpose, m: batch, n: hidden, k: width, alpha: 1, a: dc, lda: width,
                b: hiddenWeights.value.base, ldb: width, beta: 1, c: running, ldc: hidden, maxWorkers: maxWorkers)
        }
        initialStateGradient?.update(from: running, count: batch * hidden)
        TiledGEMM.multiply(
            .transpose, .none, m: hidden, n: width, k: rows, alpha: 1, a: states.base, lda: hidden,
            b: hiddenGateGradients.base, ldb: width, beta: 1, c: hiddenWeights.gradient.base, ldc: width,
            maxWorkers: maxWorkers)
        TiledGEMM.multiply(
            .transpose, .none, m: inputWidth, n: width, k: rows, alpha: 1, a: inputs, lda: inputWidth,
            b: gateGradients.base, ldb: width, beta: 1, c: inputWeights.gradient.base, ldc: width, maxWorkers: maxWorkers)
        ColumnSums.add(gateGradients.base, rows: rows, columns: width, into: inputBias.gradient.base, maxWorkers: maxWorkers)
        ColumnSums.add(
            hiddenGateGradients.base, rows: rows, columns: width, into: hiddenBias.gradient.base, maxWorkers: maxWorkers)
        if let inputGradients {
            TiledGEMM.multiply(
                .none, .transpose, m: rows, n: inputWidth, k: width, alpha: 1, a: gateGradients.base, lda: width,
                b: inputWeights.value.base, ldb: width, beta: 0, c: inputGradients, ldc: inputWidth,
                maxWorkers: maxWorkers)
        }
    }
}
