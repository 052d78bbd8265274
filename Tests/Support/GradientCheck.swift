/// Central differences of a float64 reference loss against a float32 analytic gradient: the comparison behind the
/// gradient checks of the neural layers (NeuralLayersTests) and of the networks built from them (ModelsTests).
package enum GradientCheck {
    /// Step of the central differences (float64, so truncation error ~h² dominates and stays ~1e-10).
    package static let step = 1e-5
    /// Largest relative error allowed (the criterion).
    package static let tolerance = 1e-3

    /// Compares `analytic[i]` with `(loss(x + h·e_i) − loss(x − h·e_i)) / 2h` for every element of `point`, and
    /// returns the worst relative error and the largest numeric element. Each element's error is relative to its
    /// own size, floored at 1% of the largest element, so that an element that is zero up to float32 rounding does
    /// not demand an impossible relative precision.
    package static func compare(
        _ analytic: [Float], at point: [Double], loss: ([Double]) -> Double
    ) -> (worst: Double, largest: Double) {
        precondition(analytic.count == point.count, "one gradient value per parameter")
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
        var worst = 0.0
        for index in point.indices {
            let scale = max(abs(numeric[index]), 0.01 * largest)
            worst = max(worst, abs(Double(analytic[index]) - numeric[index]) / scale)
        }
        return (worst, largest)
    }
}
