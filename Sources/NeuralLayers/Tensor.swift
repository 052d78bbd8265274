import LinearAlgebra

/// A row-major float32 matrix that owns its memory: the parameters, gradients and workspaces of the neural
/// layers. Allocated once, zeroed, and reused across mini-batches, so the hot loops allocate nothing.
///
/// A reference type so layers can share one buffer (an activation is the next layer's input); it is not
/// `Sendable`: one fit owns its tensors, and `parallelFor` bodies write disjoint parts of them.
package final class Tensor {
    /// Number of rows.
    package let rows: Int
    /// Number of columns (the row stride).
    package let columns: Int
    /// `rows · columns` elements, row-major.
    package let base: UnsafeMutablePointer<Float>

    /// A zeroed `rows × columns` tensor.
    package init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        base = .allocate(capacity: max(1, rows * columns))
        base.initialize(repeating: 0, count: max(1, rows * columns))
    }

    deinit { base.deallocate() }

    /// Number of elements.
    package var count: Int { rows * columns }

    /// The elements as a buffer.
    package var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// The first element of row `row`.
    package func row(_ row: Int) -> UnsafeMutablePointer<Float> { base + row * columns }

    /// Element (`row`, `column`).
    package subscript(row: Int, column: Int) -> Float {
        get { base[row * columns + column] }
        set { base[row * columns + column] = newValue }
    }

    /// Sets every element to 0.
    package func zero() { base.update(repeating: 0, count: count) }

    /// Glorot (Xavier) uniform values, `U(−√(6/(fanIn + fanOut)), +√(6/(fanIn + fanOut)))`, from `generator`.
    package func fillGlorot(fanIn: Int, fanOut: Int, generator: inout Xoshiro256StarStar) {
        let limit = (6 / Float(max(1, fanIn + fanOut))).squareRoot()
        for index in 0..<count { base[index] = (2 * generator.nextUnitFloat() - 1) * limit }
    }

    /// A copy as a `DenseMatrix` (what a fitted model keeps).
    package func matrix() -> DenseMatrix {
        var matrix = DenseMatrix(rowCount: rows, columnCount: columns)
        matrix.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: base, count: count) }
        return matrix
    }

    /// Copies `matrix`, which must have this tensor's shape.
    package func copy(from matrix: DenseMatrix) {
        precondition(matrix.rowCount == rows && matrix.columnCount == columns, "shape mismatch")
        matrix.withUnsafeBufferPointer { base.update(from: $0.baseAddress!, count: count) }
    }
}
