import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

extension GradientCheck {
    /// Expects `analytic` to match the central differences of `loss` at `point` (`compare`) within `tolerance`,
    /// on a gradient that is not trivially zero.
    static func expectMatches(
        _ analytic: [Float], at point: [Double], _ name: String, sourceLocation: SourceLocation = #_sourceLocation,
        loss: ([Double]) -> Double
    ) {
        let (worst, largest) = compare(analytic, at: point, loss: loss)
        #expect(largest > 1e-6, "\(name): the check needs a non-trivial gradient", sourceLocation: sourceLocation)
        #expect(worst <= tolerance, "\(name): worst relative error \(worst)", sourceLocation: sourceLocation)
    }

    /// Seeded values uniform in `range`.
    static func uniform(_ count: Int, _ range: ClosedRange<Float>, _ generator: inout Xoshiro256StarStar) -> [Float] {
        (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * generator.nextUnitFloat() }
    }
}

extension Tensor {
    /// The elements as float32.
    var floats: [Float] { Array(buffer) }
    /// The elements as float64 (a reference path's starting point).
    var doubles: [Double] { buffer.map(Double.init) }

    /// Sets the elements from `values`.
    func set(_ values: [Float]) {
        precondition(values.count == count)
        _ = buffer.update(fromContentsOf: values)
    }
}
