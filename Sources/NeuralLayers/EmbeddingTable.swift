import LinearAlgebra

/// A table of learnt rows (items × width) read a few rows at a time: as a weighted bag (`Σ v · E[c]`, the sparse
/// first layer of an autoencoder or an item lookup of a sequence model) or by gathering candidate rows (the
/// output layer of a sampled softmax). Its gradient is sparse: backward passes add into the rows they read and
/// mark them, and the optimiser updates only those rows.
package final class EmbeddingTable {
    /// The rows, with their gradient and moments; sparse.
    package let table: Parameter
    /// Number of rows.
    package var rowCount: Int { table.value.rows }
    /// Width of a row.
    package var width: Int { table.value.columns }

    /// A table of `rows × width` values from `initialise`, or Glorot-uniform over (`fanIn`, `width`) when nil.
    package init(rows: Int, width: Int, fanIn: Int, decays: Bool = true, generator: inout Xoshiro256StarStar) {
        table = Parameter(rows: rows, columns: width, sparse: true, decays: decays)
        table.value.fillGlorot(fanIn: fanIn, fanOut: width, generator: &generator)
    }

    /// A zeroed table (biases).
    package init(rows: Int, width: Int, decays: Bool) {
        table = Parameter(rows: rows, columns: width, sparse: true, decays: decays)
    }

    /// Row r of `output` (inputs.rowCount × width) = `Σ_{entries e of row r} values[e] · E[columns[e]]`; when
    /// `accumulate` is false the output rows are overwritten, else added to.
    package func bag(
        _ inputs: SparseRows, into output: UnsafeMutablePointer<Float>, accumulate: Bool = false, maxWorkers: Int = 0
    ) {
        let width = width, values = table.value.base
        inputs.columns.withUnsafeBufferPointer { columns in
            inputs.values.withUnsafeBufferPointer { weights in
                parallelFor(count: inputs.rowCount, chunkSize: 16, maxWorkers: maxWorkers) { range, _ in
                    for row in range {
                        let target = output + row * width
                        if !accumulate { target.update(repeating: 0, count: width) }
                        for entry in inputs.range(ofRow: row) {
                            VectorKernels.axpy(weights[entry], values + Int(columns[entry]) * width, target, count: width)
                        }
                    }
                }
            }
        }
    }

    /// The backward pass of `bag`: `∂E[c] += v · ∂output_r` for every entry (c, v) of row r; marks the rows.
    package func bagBackward(_ inputs: SparseRows, outputGradient: UnsafePointer<Float>) {
        let width = width, gradient = table.gradient.base
        for row in 0..<inputs.rowCount {
            for entry in inputs.range(ofRow: row) {
                let item = Int(inputs.columns[entry])
                table.markRow(item)
                VectorKernels.axpy(inputs.values[entry], outputGradient + row * width, gradient + item * width, count: width)
            }
        }
    }

    /// Copies rows `rows` into `output` (rows.count × width), in order.
    package func gather(_ rows: [Int32], into output: UnsafeMutablePointer<Float>, maxWorkers: Int = 0) {
        let width = width, values = table.value.base
        rows.withUnsafeBufferPointer { rows in
            parallelFor(count: rows.count, chunkSize: 256, maxWorkers: maxWorkers) { range, _ in
                for index in range {
                    (output + index * width).update(from: values + Int(rows[index]) * width, count: width)
                }
            }
        }
    }

    /// The backward pass of `gather`: `∂E[rows[i]] += gradients[i]`; marks the rows. `rows` must not repeat.
    package func scatterGradient(_ rows: [Int32], gradients: UnsafePointer<Float>, maxWorkers: Int = 0) {
        let width = width, gradient = table.gradient.base
        for row in rows { table.markRow(Int(row)) }
        rows.withUnsafeBufferPointer { rows in
            parallelFor(count: rows.count, chunkSize: 256, maxWorkers: maxWorkers) { range, _ in
                for index in range {
                    VectorKernels.axpy(1, gradients + index * width, gradient + Int(rows[index]) * width, count: width)
                }
            }
        }
    }
}
