extension CSRMatrix {
    /// `output = self · dense`, where `dense` is row-major `columnCount`×`width` and `output` row-major
    /// `rowCount`×`width` (overwritten). Rows are split over `maxWorkers` threads (0: every core); each output
    /// row is the sum of the dense rows its entries name, scaled by their values, in entry order.
    package func multiply(
        rowMajor dense: UnsafePointer<Float>, width: Int, into output: UnsafeMutablePointer<Float>, maxWorkers: Int = 0
    ) {
        guard rowCount > 0, width > 0 else { return }
        columns.withUnsafeBufferPointer { columnBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                rowOffsets.withUnsafeBufferPointer { offsets in
                    parallelFor(count: rowCount, chunkSize: 256, maxWorkers: maxWorkers) { range, _ in
                        for row in range {
                            let target = output + row * width
                            target.update(repeating: 0, count: width)
                            for entry in offsets[row]..<offsets[row + 1] {
                                VectorKernels.axpy(
                                    valueBuffer[entry], dense + Int(columnBuffer[entry]) * width, target, count: width)
                            }
                        }
                    }
                }
            }
        }
    }
}
