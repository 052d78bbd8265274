import LinearAlgebra

/// Column sums of a row-major block, split over column ranges so each worker owns its outputs and the sum
/// order (row by row) is the same for any number of workers.
package enum ColumnSums {
    /// `sums[c] += Σ_r matrix[r, c]` over `rows` rows of `columns` values.
    package static func add(
        _ matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>,
        maxWorkers: Int = 0
    ) {
        let chunk = rows * columns < 1 << 16 ? max(1, columns) : 1024
        parallelFor(count: columns, chunkSize: chunk, maxWorkers: maxWorkers) { range, _ in
            for row in 0..<rows {
                let values = matrix + row * columns
                for column in range { sums[column] += values[column] }
            }
        }
    }
}
