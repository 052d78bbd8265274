import Foundation
import LinearAlgebra
@testable import Models
import NeuralLayers
import TestSupport
import Testing

/// The whole sequence network's gradients — tied embeddings read as inputs and as output rows, the GRU, the
/// projection, a batch padded to its longest window — against float64 central differences of the windows run one
/// by one.
struct SequenceGRUNetworkTests {
    static let (itemCount, hidden) = (5, 3)
    /// Two users' items: window A reads 0, 1, 2, 3 and predicts 1, 2, 3, 4; window B reads 2, 0 and predicts 0, 4
    /// (two steps, so the batch pads it with two). Their next items name every item, so with no sampled negatives
    /// the softmax runs over the whole catalogue with no `log Q` correction.
    static let items: [Int32] = [0, 1, 2, 3, 4, 2, 0, 4]
    static let windows = [SequenceWindow(start: 0, length: 4), SequenceWindow(start: 5, length: 2)]

    /// Every parameter in float64.
    struct Point {
        var e: [Double], b: [Double], w: [Double], u: [Double], bx: [Double], bh: [Double], wp: [Double], bp: [Double]
    }

    /// The mean cross-entropy of every real step, each window run alone from a zero state.
    static func reference(_ p: Point) -> Double {
        let h = hidden, width = 3 * h
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        var total = 0.0, steps = 0
        for window in windows {
            var state = [Double](repeating: 0, count: h)
            for step in 0..<window.length {
                let input = Int(items[window.start + step]), target = Int(items[window.start + step + 1])
                var a = p.bx, c = p.bh
                for g in 0..<width {
                    for k in 0..<h { a[g] += p.e[input * h + k] * p.w[k * width + g] }
                    for k in 0..<h { c[g] += state[k] * p.u[k * width + g] }
                }
                for j in 0..<h {
                    let z = sigmoid(a[j] + c[j]), r = sigmoid(a[h + j] + c[h + j])
                    let n = Foundation.tanh(a[2 * h + j] + r * c[2 * h + j])
                    state[j] = (1 - z) * n + z * state[j]
                }
                var projected = p.bp
                for j in 0..<h { for k in 0..<h { projected[j] += state[k] * p.wp[k * h + j] } }
                let logits = (0..<itemCount).map { item in
                    p.b[item] + (0..<h).reduce(0) { $0 + projected[$1] * p.e[item * h + $1] }
                }
                let peak = logits.max()!
                let normaliser = peak + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - peak) })
                total += normaliser - logits[target]
                steps += 1
            }
        }
        return total / Double(steps)
    }

    @Test func gradientsOfTiedEmbeddingsAndPaddedWindowsMatchCentralDifferences() {
        let parameters = SequenceParameters(hidden: Self.hidden, batchSize: 2, window: 4, negatives: 0, threads: 1)
        var network = SequenceGRUNetwork(
            itemCount: Self.itemCount, parameters: parameters, counts: [Float](repeating: 1, count: Self.itemCount), seed: 3)
        var generator = Xoshiro256StarStar(seed: 4)
        func randomise(_ tensor: Tensor, _ range: ClosedRange<Float>) {
            for index in 0..<tensor.count { tensor.base[index] = range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitFloat() }
        }
        // Larger weights than Glorot's, and biases that are not zero, so every path carries a visible gradient.
        randomise(network.embeddings.table.value, -1...1)
        randomise(network.output.biases.table.value, -0.5...0.5)
        randomise(network.gru.inputBias.value, -0.5...0.5)
        randomise(network.gru.hiddenBias.value, -0.5...0.5)
        randomise(network.projection.weights.value, -1...1)
        randomise(network.projection.bias.value, -0.5...0.5)
        let loss = network.accumulateGradients(Self.windows[...], of: Self.items, generator: &generator)
        func doubles(_ parameter: Parameter) -> [Double] { parameter.value.buffer.map(Double.init) }
        func floats(_ parameter: Parameter) -> [Float] { Array(parameter.gradient.buffer) }
        let p = Point(
            e: doubles(network.embeddings.table), b: doubles(network.output.biases.table), w: doubles(network.gru.inputWeights),
            u: doubles(network.gru.hiddenWeights), bx: doubles(network.gru.inputBias), bh: doubles(network.gru.hiddenBias),
            wp: doubles(network.projection.weights), bp: doubles(network.projection.bias))
        #expect(isClose(loss, Self.reference(p)), "loss \(loss), reference \(Self.reference(p))")
        func check(_ analytic: [Float], _ path: WritableKeyPath<Point, [Double]>, _ name: String) {
            let (worst, largest) = GradientCheck.compare(analytic, at: p[keyPath: path]) { values in
                var moved = p
                moved[keyPath: path] = values
                return Self.reference(moved)
            }
            #expect(largest > 1e-6 && worst <= GradientCheck.tolerance, "\(name): worst relative error \(worst) of \(largest)")
        }
        check(floats(network.embeddings.table), \.e, "∂E (input and output, tied)")
        check(floats(network.output.biases.table), \.b, "∂b")
        check(floats(network.gru.inputWeights), \.w, "∂W")
        check(floats(network.gru.hiddenWeights), \.u, "∂U")
        check(floats(network.gru.inputBias), \.bx, "∂b_x")
        check(floats(network.gru.hiddenBias), \.bh, "∂b_h")
        check(floats(network.projection.weights), \.wp, "∂W_p")
        check(floats(network.projection.bias), \.bp, "∂b_p")
    }

    @Test func theOutputLayerSharesTheInputTable() {
        let network = SequenceGRUNetwork(
            itemCount: 4, parameters: SequenceParameters(hidden: 2, batchSize: 1, window: 2), counts: [1, 1, 1, 1], seed: 1)
        #expect(network.output.items === network.embeddings)
        let tables = network.allParameters.filter { $0 === network.embeddings.table }
        #expect(tables.count == 1, "the optimiser steps the tied table once")
    }
}
