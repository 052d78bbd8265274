/// Dense symmetric positive-definite solves in float64, for the small (factors × factors) ALS systems.
enum CholeskySolver {
    /// Solves `A·x = b` in place: `matrix` (size × size, row-major, symmetric) is overwritten by its Cholesky
    /// factor and `vector` by the solution. False when A is not (numerically) positive definite.
    static func solve(_ matrix: UnsafeMutablePointer<Double>, _ vector: UnsafeMutablePointer<Double>, size: Int) -> Bool {
        // A = L·Lᵀ, L stored in the lower triangle.
        for column in 0..<size {
            var diagonal = matrix[column * size + column]
            for k in 0..<column { diagonal -= matrix[column * size + k] * matrix[column * size + k] }
            guard diagonal > 0, diagonal.isFinite else { return false }
            let pivot = diagonal.squareRoot()
            matrix[column * size + column] = pivot
            for row in (column + 1)..<max(column + 1, size) {
                var value = matrix[row * size + column]
                for k in 0..<column { value -= matrix[row * size + k] * matrix[column * size + k] }
                matrix[row * size + column] = value / pivot
            }
        }
        // L·y = b, then Lᵀ·x = y.
        for row in 0..<size {
            var value = vector[row]
            for k in 0..<row { value -= matrix[row * size + k] * vector[k] }
            vector[row] = value / matrix[row * size + row]
        }
        for row in stride(from: size - 1, through: 0, by: -1) {
            var value = vector[row]
            for k in (row + 1)..<max(row + 1, size) { value -= matrix[k * size + row] * vector[k] }
            vector[row] = value / matrix[row * size + row]
        }
        return true
    }
}
