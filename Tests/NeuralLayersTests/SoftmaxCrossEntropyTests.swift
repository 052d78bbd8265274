import Foundation
import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// The multinomial softmax loss and its gradient, with and without a `log Q` correction.
struct SoftmaxCrossEntropyTests {
    static let (rows, classes) = (3, 6)

    static func targets() -> SparseRows {
        var targets = SparseRows()
        for (row, entries) in [[(1, 1.0), (4, 0.5)], [(0, 2.0)], [(2, 1.0), (3, 1.0), (5, 0.25)]].enumerated() {
            _ = row
            for (column, value) in entries { targets.append(column: Int32(column), value: Float(value)) }
            targets.endRow()
        }
        return targets
    }

    /// `scale · Σ_r Σ_j t_rj (log Σ_k e^{z_rk − c_k} − (z_rj − c_j))` in float64.
    static func reference(_ z: [Double], _ targets: SparseRows, _ correction: [Float]?, scale: Double) -> Double {
        var total = 0.0
        for row in 0..<rows {
            let shifted = (0..<classes).map { z[row * classes + $0] - Double(correction?[$0] ?? 0) }
            let peak = shifted.max()!
            let normaliser = peak + Foundation.log(shifted.reduce(0) { $0 + Foundation.exp($1 - peak) })
            for entry in targets.range(ofRow: row) {
                total += Double(targets.values[entry]) * (normaliser - shifted[Int(targets.columns[entry])])
            }
        }
        return total * scale
    }

    @Test(arguments: [false, true])
    func gradientMatchesCentralDifferences(corrected: Bool) {
        var generator = Xoshiro256StarStar(seed: 6)
        let logits = GradientCheck.uniform(Self.rows * Self.classes, -3...3, &generator)
        let correction = corrected ? GradientCheck.uniform(Self.classes, -2...0, &generator) : nil
        let targets = Self.targets()
        let loss = SoftmaxCrossEntropy(maxRows: 4)
        var gradient = logits
        let value = correction.withUnsafeBufferPointerOrNil { correction in
            loss.lossAndGradient(
                logits: &gradient, rows: Self.rows, classes: Self.classes, targets: targets, correction: correction,
                scale: 0.5)
        }
        let point = logits.map(Double.init)
        #expect(abs(value - Self.reference(point, targets, correction, scale: 0.5)) < 1e-5)
        GradientCheck.expectMatches(gradient, at: point, "∂z (corrected: \(corrected))") {
            Self.reference($0, targets, correction, scale: 0.5)
        }
    }

    @Test func hugeLogitsStayFinite() {
        var logits: [Float] = [1000, -1000, 0]
        var targets = SparseRows()
        targets.append(column: 1, value: 1)
        targets.endRow()
        let value = SoftmaxCrossEntropy(maxRows: 1).lossAndGradient(
            logits: &logits, rows: 1, classes: 3, targets: targets, scale: 1)
        #expect(abs(value - 2000) < 1e-3 && logits.allSatisfy(\.isFinite))
    }
}

extension Optional where Wrapped == [Float] {
    /// Calls `body` with a pointer to the array's elements, or nil.
    func withUnsafeBufferPointerOrNil<Result>(_ body: (UnsafePointer<Float>?) -> Result) -> Result {
        guard let self else { return body(nil) }
        return self.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
