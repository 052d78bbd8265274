import Foundation
import LinearAlgebra
import NeuralLayers
import Testing

/// Adam's bias-corrected update and decoupled weight decay, against the formulas by hand.
struct AdamTests {
    @Test func firstStepMovesByTheLearningRateAgainstTheGradientSign() {
        let parameter = Parameter(rows: 1, columns: 3)
        parameter.value.set([1, 1, 1])
        parameter.gradient.set([0.5, -2, 0])
        var adam = Adam(learningRate: 0.01)
        adam.step([parameter])
        // Bias correction makes m̂ = g and v̂ = g², so the first step is lr · sign(g) (0 for g = 0).
        let values = parameter.value.floats
        #expect(abs(values[0] - 0.99) < 1e-6 && abs(values[1] - 1.01) < 1e-6 && values[2] == 1)
        #expect(adam.stepCount == 1)
    }

    @Test func secondStepFollowsTheBiasCorrectedMoments() {
        let parameter = Parameter(rows: 1, columns: 1)
        parameter.value.set([2])
        var adam = Adam(learningRate: 0.1, weightDecay: 0.5)
        var expected = 2.0, m = 0.0, v = 0.0
        for (t, g) in [(1, 1.0), (2, -3.0)] {
            parameter.gradient.set([Float(g)])
            adam.step([parameter])
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            let mHat = m / (1 - pow(0.9, Double(t))), vHat = v / (1 - pow(0.999, Double(t)))
            expected -= 0.1 * (mHat / (vHat.squareRoot() + 1e-8) + 0.5 * expected)
            #expect(abs(Double(parameter.value[0, 0]) - expected) < 1e-5, "step \(t)")
        }
    }

    @Test func biasesDoNotDecay() {
        let bias = Parameter(rows: 1, columns: 1, decays: false)
        bias.value.set([3])
        var adam = Adam(learningRate: 0.1, weightDecay: 1)
        adam.step([bias])
        #expect(bias.value[0, 0] == 3, "zero gradient, no decay: no move")
    }
}
