/// A dense float32 matrix stored row-major: element (r, c) is `storage[r * columnCount + c]`.
package struct DenseMatrix: Sendable, Equatable {
    /// Number of rows.
    package let rowCount: Int
    /// Number of columns (the row stride of `storage`).
    package let columnCount: Int
    /// `rowCount * columnCount` elements, row-major.
    package var storage: [Float]

    /// A matrix with every element set to `value`.
    package init(rowCount: Int, columnCount: Int, repeating value: Float = 0) {
        precondition(rowCount >= 0 && columnCount >= 0, "dimensions must not be negative")
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.storage = [Float](repeating: value, count: rowCount * columnCount)
    }

    /// Wraps row-major `storage`, which must hold exactly `rowCount * columnCount` elements.
    package init(rowCount: Int, columnCount: Int, storage: [Float]) throws(LinearAlgebraError) {
        guard rowCount >= 0 else { throw .invalidDimension(what: "rowCount", value: rowCount) }
        guard columnCount >= 0 else { throw .invalidDimension(what: "columnCount", value: columnCount) }
        let (product, overflow) = rowCount.multipliedReportingOverflow(by: columnCount)
        guard !overflow else { throw .invalidDimension(what: "rowCount × columnCount", value: rowCount) }
        guard storage.count == product else {
            throw .countMismatch(what: "storage", expected: product, actual: storage.count)
        }
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.storage = storage
    }

    /// Element at (`row`, `column`).
    @inlinable
    package subscript(row: Int, column: Int) -> Float {
        get { storage[row * columnCount + column] }
        set { storage[row * columnCount + column] = newValue }
    }

    /// Calls `body` with row `row` as a buffer of `columnCount` elements, without copying.
    @inlinable
    package func withRow<Result, Failure: Error>(
        _ row: Int, _ body: (UnsafeBufferPointer<Float>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        precondition(row >= 0 && row < rowCount, "row out of range")
        let width = columnCount
        return try storage.withUnsafeBufferPointer { buffer throws(Failure) in
            try body(UnsafeBufferPointer(rebasing: buffer[row * width..<(row + 1) * width]))
        }
    }

    /// Calls `body` with row `row` as a mutable buffer of `columnCount` elements.
    @inlinable
    package mutating func withMutableRow<Result, Failure: Error>(
        _ row: Int, _ body: (UnsafeMutableBufferPointer<Float>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        precondition(row >= 0 && row < rowCount, "row out of range")
        let width = columnCount
        return try storage.withUnsafeMutableBufferPointer { buffer throws(Failure) in
            try body(UnsafeMutableBufferPointer(rebasing: buffer[row * width..<(row + 1) * width]))
        }
    }

    /// Calls `body` with the whole row-major storage.
    @inlinable
    package func withUnsafeBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Float>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try storage.withUnsafeBufferPointer { buffer throws(Failure) in try body(buffer) }
    }

    /// Calls `body` with the whole row-major storage, mutable.
    @inlinable
    package mutating func withUnsafeMutableBufferPointer<Result, Failure: Error>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try storage.withUnsafeMutableBufferPointer { buffer throws(Failure) in try body(buffer) }
    }

    /// Whether every element is finite (no NaN, no infinity).
    package var isFinite: Bool {
        storage.withUnsafeBufferPointer { buffer in
            for value in buffer where !value.isFinite { return false }
            return true
        }
    }
}
