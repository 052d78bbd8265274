import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// Serving's one-sequence recurrence against the training cell's batched one.
struct GRUWeightsTests {
    @Test func runningOneSequenceMatchesTheCellsBatchedForward() {
        var generator = Xoshiro256StarStar(seed: 21)
        let (inputs, hidden, steps, batch) = (4, 5, 6, 3)
        let cell = GRUCell(inputs: inputs, hidden: hidden, maxSteps: steps, maxBatch: batch, generator: &generator)
        cell.inputBias.value.set(GradientCheck.uniform(3 * hidden, -0.5...0.5, &generator))
        cell.hiddenBias.value.set(GradientCheck.uniform(3 * hidden, -0.5...0.5, &generator))
        let x = GradientCheck.uniform(steps * batch * inputs, -1...1, &generator)
        cell.forward(x, steps: steps, batch: batch)
        let weights = GRUWeights(cell)
        var state = [Float](repeating: 0, count: hidden)
        for sequence in 0..<batch {
            for length in [1, steps] {
                x.withUnsafeBufferPointer { x in
                    weights.run(steps: length, input: { x.baseAddress! + ($0 * batch + sequence) * inputs }, into: &state)
                }
                let trained = cell.outputs(batch: batch) + ((length - 1) * batch + sequence) * hidden
                for j in 0..<hidden {
                    #expect(abs(state[j] - trained[j]) <= 1e-5, "sequence \(sequence), \(length) steps, unit \(j)")
                }
            }
        }
        weights.run(steps: 0, input: { _ in fatalError("no step reads an input") }, into: &state)
        #expect(state.allSatisfy { $0 == 0 })
    }
}
