import Foundation
import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// The item output layer, full and sampled, against float64 central differences of the same loss.
struct SoftmaxOutputLayerTests {
    static let (batch, width, itemCount) = (3, 4, 12)

    static func targets() -> SparseRows {
        var targets = SparseRows()
        for row in [[1, 5], [7], [2, 5, 9]] {
            for item in row { targets.append(column: Int32(item), value: 1) }
            targets.endRow()
        }
        return targets
    }

    /// The loss over `classes` (items) with `correction` per class, in float64.
    static func reference(
        hidden: [Double], table: [Double], biases: [Double], classes: [Int], correction: [Float], targets: SparseRows
    ) -> Double {
        var total = 0.0
        for row in 0..<batch {
            let logits = classes.enumerated().map { position, item in
                (0..<width).reduce(biases[item]) { $0 + hidden[row * width + $1] * table[item * width + $1] }
                    - Double(correction[position])
            }
            let peak = logits.max()!
            let normaliser = peak + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - peak) })
            for entry in targets.range(ofRow: row) {
                let position = classes.firstIndex(of: Int(targets.columns[entry]))!
                total += Double(targets.values[entry]) * (normaliser - logits[position])
            }
        }
        return total / Double(batch)
    }

    @Test(arguments: [CandidateSampler.Distribution?.none, .uniform, .popularity])
    func gradientsMatchCentralDifferences(sampling: CandidateSampler.Distribution?) {
        var generator = Xoshiro256StarStar(seed: 7)
        let layer = SoftmaxOutputLayer(
            itemCount: Self.itemCount, width: Self.width, maxBatch: Self.batch,
            maxCandidates: sampling == nil ? nil : Self.itemCount, generator: &generator)
        layer.biases.table.value.set(GradientCheck.uniform(Self.itemCount, -1...1, &generator))
        let hidden = GradientCheck.uniform(Self.batch * Self.width, -1...1, &generator)
        let original = Self.targets()
        var targets = original
        let sampler = sampling.map { distribution in
            CandidateSampler(itemCount: Self.itemCount, negatives: 3, distribution: distribution,
                             counts: (0..<Self.itemCount).map { Float($0 + 1) })
        }
        sampler?.prepare(&targets, generator: &generator)
        let classes = sampler.map { $0.candidates.map(Int.init) } ?? Array(0..<Self.itemCount)
        let correction = sampler?.correction ?? [Float](repeating: 0, count: Self.itemCount)
        var hiddenGradient = [Float](repeating: 0, count: hidden.count)
        let value = layer.lossAndGradient(
            hidden: hidden, batch: Self.batch, targets: targets, sampler: sampler, scale: 1 / Float(Self.batch),
            hiddenGradient: &hiddenGradient)
        let h = hidden.map(Double.init), table = layer.items.table.value.doubles
        let biases = layer.biases.table.value.doubles
        func loss(hidden: [Double] = h, table: [Double] = table, biases: [Double] = biases) -> Double {
            Self.reference(hidden: hidden, table: table, biases: biases, classes: classes, correction: correction,
                           targets: original)
        }
        #expect(abs(value - loss()) < 1e-5)
        let label = sampling.map { "\($0)" } ?? "full"
        GradientCheck.expectMatches(layer.items.table.gradient.floats, at: table, "∂E \(label)") { loss(table: $0) }
        GradientCheck.expectMatches(layer.biases.table.gradient.floats, at: biases, "∂b \(label)") { loss(biases: $0) }
        GradientCheck.expectMatches(hiddenGradient, at: h, "∂h \(label)") { loss(hidden: $0) }
        if let sampler {
            #expect(classes.count > 5 && Array(classes.prefix(5)) == [1, 5, 7, 2, 9], "the batch's items, then negatives")
            #expect(correction.prefix(5).allSatisfy { $0 == 0 } && correction.dropFirst(5).allSatisfy { $0 < 0 })
            let untouched = Set(0..<Self.itemCount).subtracting(classes)
            for item in untouched {
                #expect(layer.items.table.gradient.floats[item * Self.width..<(item + 1) * Self.width].allSatisfy { $0 == 0 })
            }
            sampler.reset()
            #expect(sampler.candidates.isEmpty)
        }
    }
}
