internal import COpenBLAS

/// Products of tall, thin row-major float32 matrices (many rows, tens of columns) computed in double precision:
/// the Gram matrices and basis changes of `Orthonormalization` and `RandomizedSVD`.
///
/// Rows are processed in fixed chunks small enough for a worker's double copy to stay in its cache, so a pass
/// reads the float32 data once and never writes a double copy of it to memory. Chunks are split over workers,
/// and partial Gram matrices are summed in a fixed order, so the results are the same bits on any number of
/// workers.
package enum TallSkinny {
    /// Rows per chunk: 512 rows of 74 doubles (RandomizedSVD's default sketch) are 300 KB, two of them fit
    /// a core's L2 cache.
    static let chunkRows = 512
    /// Number of partial Gram matrices a pass accumulates (consecutive chunks share one); fixed, so the
    /// summation order does not depend on the number of workers.
    static let partialCount = 16

    /// The `columns`×`columns` Gram matrix (Y·T)ᵀ(Y·T), row-major and symmetric, of the row-major
    /// `rows`×`columns` matrix Y at `matrix`; T is the row-major `columns`×`columns` `transform`, or the
    /// identity when nil.
    package static func gram(
        _ matrix: UnsafePointer<Float>, rows: Int, columns: Int, transform: UnsafePointer<Double>? = nil,
        maxWorkers: Int = 0
    ) -> [Double] {
        let square = columns * columns
        var result = [Double](repeating: 0, count: square)
        guard rows > 0, columns > 0 else { return result }
        let chunks = (rows + chunkRows - 1) / chunkRows
        let chunksPerPartial = (chunks + partialCount - 1) / partialCount
        let partials = (chunks + chunksPerPartial - 1) / chunksPerPartial
        let workers = parallelWorkerCount(forChunks: partials, maxWorkers: maxWorkers)
        let stride = chunkRows * columns
        let partial = UnsafeMutableBufferPointer<Double>.allocate(capacity: partials * square)
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: workers * 2 * stride)
        defer {
            partial.deallocate()
            scratch.deallocate()
        }
        parallelFor(count: chunks, chunkSize: chunksPerPartial, maxWorkers: maxWorkers) { range, worker in
            let wide = scratch.baseAddress! + worker * 2 * stride, product = wide + stride
            let sum = partial.baseAddress! + (range.lowerBound / chunksPerPartial) * square
            for chunk in range {
                let first = chunk * chunkRows, count = min(chunkRows, rows - first)
                widen(matrix + first * columns, into: wide, count: count * columns)
                var operand = wide
                if let transform {
                    cblas_dgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(count), blasint(columns), blasint(columns),
                        1, wide, blasint(columns), transform, blasint(columns), 0, product, blasint(columns))
                    operand = product
                }
                cblas_dsyrk(
                    CblasRowMajor, CblasUpper, CblasTrans, blasint(columns), blasint(count), 1, operand,
                    blasint(columns), chunk == range.lowerBound ? 0 : 1, sum, blasint(columns))
            }
        }
        for index in 0..<partials {
            let sum = partial.baseAddress! + index * square
            for row in 0..<columns {
                for column in row..<columns { result[row * columns + column] += sum[row * columns + column] }
            }
        }
        for row in 0..<columns {
            for column in 0..<row { result[row * columns + column] = result[column * columns + row] }
        }
        return result
    }

    /// Writes Y·T into `output` (row-major `rows`×`outputColumns`, float32), where Y is the row-major
    /// `rows`×`columns` matrix at `matrix` and T the row-major `columns`×`outputColumns` `transform`, or
    /// T = `transform`·`then` when `then` is given (`transform` is then `columns`×`columns`, applied first, as
    /// `gram` applies it); the product is formed in double and rounded once. `output` may be `matrix` itself
    /// when the shapes agree.
    package static func multiply(
        _ matrix: UnsafePointer<Float>, rows: Int, columns: Int, by transform: UnsafePointer<Double>,
        then second: UnsafePointer<Double>? = nil, outputColumns: Int, into output: UnsafeMutablePointer<Float>,
        maxWorkers: Int = 0
    ) {
        guard rows > 0, outputColumns > 0 else { return }
        let chunks = (rows + chunkRows - 1) / chunkRows
        let workers = parallelWorkerCount(forChunks: chunks, maxWorkers: maxWorkers)
        let wideStride = chunkRows * columns, productStride = chunkRows * outputColumns
        let workerStride = 2 * wideStride + productStride
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: workers * workerStride)
        defer { scratch.deallocate() }
        parallelFor(count: chunks, maxWorkers: maxWorkers) { range, worker in
            let wide = scratch.baseAddress! + worker * workerStride, middle = wide + wideStride
            let product = middle + wideStride
            for chunk in range {
                let first = chunk * chunkRows, count = min(chunkRows, rows - first)
                // The whole chunk is read before any of it is written, so `output` may alias `matrix`.
                widen(matrix + first * columns, into: wide, count: count * columns)
                var operand = wide, step = transform
                if let second {
                    // The same call as `gram`'s, so the intermediate has the same bits there and here.
                    cblas_dgemm(
                        CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(count), blasint(columns),
                        blasint(columns), 1, wide, blasint(columns), transform, blasint(columns), 0, middle,
                        blasint(columns))
                    operand = middle
                    step = second
                }
                cblas_dgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(count), blasint(outputColumns),
                    blasint(columns), 1, operand, blasint(columns), step, blasint(outputColumns), 0, product,
                    blasint(outputColumns))
                let target = output + first * outputColumns
                for index in 0..<(count * outputColumns) { target[index] = Float(product[index]) }
            }
        }
    }

    private static func widen(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Double>, count: Int) {
        for index in 0..<count { target[index] = Double(source[index]) }
    }
}
