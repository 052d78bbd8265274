import LinearAlgebra
import NeuralLayers
import Testing

/// Central differences of a float64 reference loss, compared with a float32 analytic gradient.
enum GradientCheck {
    /// Step of the central differences (float64, so truncation error ~h² dominates and stays ~1e-10).
    static let step = 1e-5
    /// Largest relative error allowed (the criterion).
    static let tolerance = 1e-3

    /// Checks `analytic[i]` against `(loss(x + h·e_i) − loss(x − h·e_i)) / 2h` for every element of `point`;
    /// each element's error is relative to its own size, floored at 1% of the gradient's largest element so that
    /// an element that is zero up to float32 rounding does not demand an impossible relative precision.
    static func expectMatches(
        _ analytic: [Float], at point: [Double], _ name: String, sourceLocation: SourceLocation = #_sourceLocation,
        loss: ([Double]) -> Double
    ) {
        #expect(analytic.count == point.count, "\(name): one gradient value per parameter", sourceLocation: sourceLocation)
        var moved = point
        var numeric = [Double](repeating: 0, count: point.count)
        for index in point.indices {
            moved[index] = point[index] + step
            let up = loss(moved)
            moved[index] = point[index] - step
            let down = loss(moved)
            moved[index] = point[index]
            numeric[index] = (up - down) / (2 * step)
        }
        let largest = numeric.map(abs).max() ?? 0
        #expect(largest > 1e-6, "\(name): the check needs a non-trivial gradient", sourceLocation: sourceLocation)
        var worst = 0.0
        for index in point.indices {
            let scale = max(abs(numeric[index]), 0.01 * largest)
            worst = max(worst, abs(Double(analytic[index]) - numeric[index]) / scale)
        }
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
