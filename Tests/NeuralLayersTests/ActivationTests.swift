import Foundation
import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// The activations' backward passes (computed from their outputs) against float64 central differences.
struct ActivationTests {
    static func reference(_ activation: Activation, _ x: Double) -> Double {
        switch activation {
        case .tanh: Foundation.tanh(x)
        case .relu: max(0, x)
        case .sigmoid: 1 / (1 + Foundation.exp(-x))
        }
    }

    @Test(arguments: Activation.allCases)
    func gradientMatchesCentralDifferences(_ activation: Activation) {
        var generator = Xoshiro256StarStar(seed: 5)
        // Values away from ReLU's kink at 0, where the derivative is not defined.
        var x = GradientCheck.uniform(40, 0.1...2.5, &generator)
        for index in stride(from: 0, to: x.count, by: 2) { x[index] = -x[index] }
        let r = GradientCheck.uniform(x.count, -1...1, &generator)
        var y = x
        activation.apply(&y, count: y.count)
        var gradient = r
        activation.backpropagate(outputs: y, gradient: &gradient, count: y.count)
        for (found, input) in zip(y, x) { #expect(abs(Double(found) - Self.reference(activation, Double(input))) < 1e-6) }
        GradientCheck.expectMatches(gradient, at: x.map(Double.init), "∂x of \(activation)") { point in
            zip(point, r).reduce(0) { $0 + Double($1.1) * Self.reference(activation, $1.0) }
        }
    }

    @Test func sigmoidIsFiniteAtBothExtremes() {
        #expect(Activation.sigmoid(-200) == 0 && Activation.sigmoid(200) == 1)
    }
}
