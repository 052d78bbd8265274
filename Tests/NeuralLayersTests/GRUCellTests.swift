import Foundation
import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// The GRU cell's backpropagation through time against float64 central differences of the same recurrence.
struct GRUCellTests {
    static let (inputs, hidden, steps, batch) = (3, 4, 5, 2)

    /// The cell's parameters and inputs in float64.
    struct Point {
        var w: [Double], u: [Double], bx: [Double], bh: [Double], x: [Double], h0: [Double]
    }

    /// `Σ_t Σ R_t ⊙ h_t` over the float64 recurrence (PyTorch's GRU, gates `[z | r | n]`).
    static func reference(_ p: Point, _ r: [Float]) -> Double {
        let width = 3 * hidden
        var h = p.h0, total = 0.0
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        for step in 0..<steps {
            var next = h
            for b in 0..<batch {
                var a = p.bx, c = p.bh
                for g in 0..<width {
                    for k in 0..<inputs { a[g] += p.x[(step * batch + b) * inputs + k] * p.w[k * width + g] }
                    for k in 0..<hidden { c[g] += h[b * hidden + k] * p.u[k * width + g] }
                }
                for j in 0..<hidden {
                    let z = sigmoid(a[j] + c[j]), rr = sigmoid(a[hidden + j] + c[hidden + j])
                    let n = Foundation.tanh(a[2 * hidden + j] + rr * c[2 * hidden + j])
                    next[b * hidden + j] = (1 - z) * n + z * h[b * hidden + j]
                    total += Double(r[(step * batch + b) * hidden + j]) * next[b * hidden + j]
                }
            }
            h = next
        }
        return total
    }

    @Test func backpropagationThroughTimeMatchesCentralDifferences() {
        var generator = Xoshiro256StarStar(seed: 11)
        let cell = GRUCell(inputs: Self.inputs, hidden: Self.hidden, maxSteps: 8, maxBatch: 4, generator: &generator)
        cell.inputBias.value.set(GradientCheck.uniform(3 * Self.hidden, -0.5...0.5, &generator))
        cell.hiddenBias.value.set(GradientCheck.uniform(3 * Self.hidden, -0.5...0.5, &generator))
        let x = GradientCheck.uniform(Self.steps * Self.batch * Self.inputs, -1...1, &generator)
        let h0 = GradientCheck.uniform(Self.batch * Self.hidden, -0.5...0.5, &generator)
        let r = GradientCheck.uniform(Self.steps * Self.batch * Self.hidden, -1...1, &generator)
        cell.forward(x, steps: Self.steps, batch: Self.batch, initialState: h0)
        var inputGradient = [Float](repeating: 0, count: x.count), initialGradient = [Float](repeating: 0, count: h0.count)
        cell.backward(x, steps: Self.steps, batch: Self.batch, outputGradients: r, inputGradients: &inputGradient,
                      initialStateGradient: &initialGradient)
        let p = Point(w: cell.inputWeights.value.doubles, u: cell.hiddenWeights.value.doubles,
                      bx: cell.inputBias.value.doubles, bh: cell.hiddenBias.value.doubles, x: x.map(Double.init),
                      h0: h0.map(Double.init))
        let outputs = Array(UnsafeBufferPointer(start: cell.outputs(batch: Self.batch), count: r.count))
        #expect(abs(zip(outputs, r).reduce(0) { $0 + Double($1.0 * $1.1) } - Self.reference(p, r)) < 1e-5)
        func check(_ analytic: [Float], _ path: WritableKeyPath<Point, [Double]>, _ name: String) {
            GradientCheck.expectMatches(analytic, at: p[keyPath: path], name) { values in
                var moved = p
                moved[keyPath: path] = values
                return Self.reference(moved, r)
            }
        }
        check(cell.inputWeights.gradient.floats, \.w, "∂W")
        check(cell.hiddenWeights.gradient.floats, \.u, "∂U")
        check(cell.inputBias.gradient.floats, \.bx, "∂b_x")
        check(cell.hiddenBias.gradient.floats, \.bh, "∂b_h")
        check(inputGradient, \.x, "∂x")
        check(initialGradient, \.h0, "∂h_0")
    }

    @Test func aRunIsReproducibleAndReusesItsWorkspaces() {
        var first = Xoshiro256StarStar(seed: 12), second = Xoshiro256StarStar(seed: 12)
        let a = GRUCell(inputs: 2, hidden: 3, maxSteps: 4, maxBatch: 2, generator: &first)
        let b = GRUCell(inputs: 2, hidden: 3, maxSteps: 4, maxBatch: 2, generator: &second)
        let x: [Float] = [0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.7, -0.8]
        for cell in [a, b] {
            cell.forward(x, steps: 2, batch: 2)
            cell.forward(x, steps: 4, batch: 1)
        }
        let outputs = [a, b].map { Array(UnsafeBufferPointer(start: $0.outputs(batch: 1), count: 12)) }
        #expect(outputs[0] == outputs[1] && outputs[0].allSatisfy { $0 != 0 && $0.isFinite })
    }
}
