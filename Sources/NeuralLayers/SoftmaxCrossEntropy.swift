#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra

/// Softmax cross-entropy over a row of logits against a multinomial target (Mult-VAE/DAE's loss): for row r
/// with target weights `t_rj` (summing to `T_r`), `loss_r = − Σ_j t_rj · log softmax(z_r − c)_j`, where `c`
/// is an optional per-column correction subtracted from the logits (a sampled softmax's `log Q`).
///
/// The gradient is `∂loss_r/∂z_rj = T_r · p_rj − t_rj`; `lossAndGradient` overwrites the logits with it,
/// scaled like the loss, so the logits' buffer is the backward pass's input. Rows run in parallel; the loss is
/// summed in row order, so it does not depend on the number of workers.
package final class SoftmaxCrossEntropy {
    /// Each row's loss of the last call (capacity `maxRows`).
    private let rowLosses: UnsafeMutablePointer<Double>
    /// Most rows a call may have.
    package let maxRows: Int

    /// A loss for mini-batches of at most `maxRows` rows.
    package init(maxRows: Int) {
        self.maxRows = maxRows
        rowLosses = .allocate(capacity: max(1, maxRows))
    }

    deinit { rowLosses.deallocate() }

    /// The loss of `rows` rows of `classes` logits (row stride `classes`) against `targets` (columns are
    /// class positions), times `scale`; the logits are replaced by `scale · ∂loss/∂z`. `correction`, when
    /// given, holds one value per class, subtracted from every row's logits before the softmax.
    package func lossAndGradient(
        logits: UnsafeMutablePointer<Float>, rows: Int, classes: Int, targets: SparseRows,
        correction: UnsafePointer<Float>? = nil, scale: Float, maxWorkers: Int = 0
    ) -> Double {
        precondition(rows <= maxRows && targets.rowCount == rows, "one target row per logit row, at most maxRows")
        let losses = rowLosses
        targets.columns.withUnsafeBufferPointer { targetColumns in
            targets.values.withUnsafeBufferPointer { targetValues in
                parallelFor(count: rows, chunkSize: 8, maxWorkers: maxWorkers) { range, _ in
                    for row in range {
                        let z = logits + row * classes
                        if let correction { for j in 0..<classes { z[j] -= correction[j] } }
                        var peak = -Float.infinity
                        for j in 0..<classes { peak = Swift.max(peak, z[j]) }
                        // The targets' logits are read before the exponentials overwrite them (one expf per class).
                        var targetLogits: Double = 0, mass: Float = 0
                        for entry in targets.range(ofRow: row) {
                            let weight = targetValues[entry]
                            targetLogits += Double(weight) * Double(z[Int(targetColumns[entry])])
                            mass += weight
                        }
                        var total: Double = 0
                        for j in 0..<classes {
                            let e = Glibc.expf(z[j] - peak)
                            z[j] = e
                            total += Double(e)
                        }
                        let logNormaliser = Double(peak) + Glibc.log(total)
                        losses[row] = (Double(mass) * logNormaliser - targetLogits) * Double(scale)
                        let factor = Float(Double(mass) / total) * scale
                        for j in 0..<classes { z[j] *= factor }
                        for entry in targets.range(ofRow: row) {
                            z[Int(targetColumns[entry])] -= scale * targetValues[entry]
                        }
                    }
                }
            }
        }
        var sum: Double = 0
        for row in 0..<rows { sum += losses[row] }
        return sum
    }
}
