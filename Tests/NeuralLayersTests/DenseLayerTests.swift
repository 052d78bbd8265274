import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// `DenseLayer`: `Y = XW + b` and its backward pass against float64 central differences.
struct DenseLayerTests {
    static let (batch, inputs, outputs) = (5, 7, 4)

    /// `Σ R ⊙ (XW + b)` in float64: its gradient with respect to Y is R.
    static func reference(_ x: [Double], _ w: [Double], _ b: [Double], _ r: [Float]) -> Double {
        var total = 0.0
        for row in 0..<batch {
            for column in 0..<outputs {
                var y = b[column]
                for k in 0..<inputs { y += x[row * inputs + k] * w[k * outputs + column] }
                total += Double(r[row * outputs + column]) * y
            }
        }
        return total
    }

    @Test func gradientsMatchCentralDifferences() {
        var generator = Xoshiro256StarStar(seed: 3)
        let layer = DenseLayer(inputs: Self.inputs, outputs: Self.outputs, generator: &generator)
        layer.bias.value.set(GradientCheck.uniform(Self.outputs, -1...1, &generator))
        let x = GradientCheck.uniform(Self.batch * Self.inputs, -1...1, &generator)
        let r = GradientCheck.uniform(Self.batch * Self.outputs, -1...1, &generator)
        var output = [Float](repeating: 0, count: Self.batch * Self.outputs)
        var inputGradient = [Float](repeating: 0, count: x.count)
        layer.forward(x, batch: Self.batch, into: &output)
        layer.backward(input: x, outputGradient: r, batch: Self.batch, inputGradient: &inputGradient)
        let w = layer.weights.value.doubles, b = layer.bias.value.doubles, xd = x.map(Double.init)
        for row in 0..<Self.batch {
            for column in 0..<Self.outputs {
                var y = b[column]
                for k in 0..<Self.inputs { y += xd[row * Self.inputs + k] * w[k * Self.outputs + column] }
                #expect(abs(Double(output[row * Self.outputs + column]) - y) < 1e-5)
            }
        }
        GradientCheck.expectMatches(layer.weights.gradient.floats, at: w, "∂W") { Self.reference(xd, $0, b, r) }
        GradientCheck.expectMatches(layer.bias.gradient.floats, at: b, "∂b") { Self.reference(xd, w, $0, r) }
        GradientCheck.expectMatches(inputGradient, at: xd, "∂X") { Self.reference($0, w, b, r) }
    }

    @Test func backwardAccumulatesIntoTheGradient() {
        var generator = Xoshiro256StarStar(seed: 4)
        let layer = DenseLayer(inputs: 3, outputs: 2, generator: &generator)
        let x: [Float] = [1, 2, 3], r: [Float] = [1, -1]
        layer.backward(input: x, outputGradient: r, batch: 1, inputGradient: nil)
        let once = layer.weights.gradient.floats
        layer.backward(input: x, outputGradient: r, batch: 1, inputGradient: nil)
        #expect(layer.weights.gradient.floats == once.map { 2 * $0 })
    }
}
