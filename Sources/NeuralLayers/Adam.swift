#if canImport(Glibc)
    import Glibc
#endif
import LinearAlgebra

/// Adam (Kingma & Ba 2015) with bias-corrected moments and optional decoupled weight decay (AdamW, Loshchilov
/// & Hutter 2019): per element, `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
/// `θ ← θ − lr · (m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ε) + λθ)` (λ only on parameters that `decays`).
///
/// Sparse parameters are updated only in the rows their gradient touched since the last step (lazy Adam): the
/// moments of untouched rows wait, as in TensorFlow's `LazyAdam`. `step` clears the gradients it applied.
package struct Adam: Sendable {
    /// Step size `lr`.
    package var learningRate: Float
    /// Decay of the first moment.
    package var beta1: Float = 0.9
    /// Decay of the second moment.
    package var beta2: Float = 0.999
    /// Added to `√v̂` so the step stays finite.
    package var epsilon: Float = 1e-8
    /// Decoupled weight decay `λ` (0: none).
    package var weightDecay: Float
    /// Steps taken so far (`t`).
    package private(set) var stepCount = 0

    /// An optimiser with step size `learningRate` and weight decay `weightDecay`.
    package init(learningRate: Float, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// Applies one step to every parameter from its accumulated gradient, then zeroes the gradient.
    package mutating func step(_ parameters: [Parameter], maxWorkers: Int = 0) {
        stepCount += 1
        let t = Float(stepCount)
        let update = ElementUpdate(
            learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            firstCorrection: 1 - Glibc.powf(beta1, t), secondCorrection: 1 - Glibc.powf(beta2, t))
        for parameter in parameters {
            let decay = parameter.decays ? weightDecay : 0
            let value = parameter.value.base, gradient = parameter.gradient.base
            let first = parameter.firstMoment.base, second = parameter.secondMoment.base
            if parameter.isSparse {
                let width = parameter.value.columns
                parameter.touchedRows.withUnsafeBufferPointer { rows in
                    parallelFor(count: rows.count, chunkSize: 64, maxWorkers: maxWorkers) { range, _ in
                        for index in range {
                            let start = Int(rows[index]) * width
                            update.apply(start..<start + width, value, gradient, first, second, decay: decay)
                        }
                    }
                }
                parameter.clearTouched()
            } else {
                parallelFor(count: parameter.value.count, chunkSize: 32_768, maxWorkers: maxWorkers) { range, _ in
                    update.apply(range, value, gradient, first, second, decay: decay)
                }
            }
        }
    }
}

/// One step's constants, applied to a range of elements.
private struct ElementUpdate {
    let learningRate: Float, beta1: Float, beta2: Float, epsilon: Float
    let firstCorrection: Float, secondCorrection: Float

    func apply(
        _ range: Range<Int>, _ value: UnsafeMutablePointer<Float>, _ gradient: UnsafeMutablePointer<Float>,
        _ first: UnsafeMutablePointer<Float>, _ second: UnsafeMutablePointer<Float>, decay: Float
    ) {
        for index in range {
            let g = gradient[index]
            let m = beta1 * first[index] + (1 - beta1) * g
            let v = beta2 * second[index] + (1 - beta2) * g * g
            first[index] = m
            second[index] = v
            let adaptive = (m / firstCorrection) / ((v / secondCorrection).squareRoot() + epsilon)
            value[index] -= learningRate * (adaptive + decay * value[index])
            gradient[index] = 0
        }
    }
}
