/// A sparse float32 matrix in compressed sparse row form.
///
/// Row `r` owns the entries `rowOffsets[r]..<rowOffsets[r + 1]` of `columns` and `values`; the columns
/// of a row are strictly increasing (no duplicates). Values are stored as given, zeros included.
package struct CSRMatrix: Sendable, Equatable {
    /// Number of rows.
    package let rowCount: Int
    /// Number of columns.
    package let columnCount: Int
    /// `rowCount + 1` offsets into `columns` / `values`, starting at 0 and non-decreasing.
    package let rowOffsets: [Int]
    /// Column index of every stored entry, strictly increasing within a row.
    package let columns: [Int32]
    /// Value of every stored entry, parallel to `columns`.
    package let values: [Float]

    /// Number of stored entries.
    package var nonzeroCount: Int { values.count }

    /// Wraps raw CSR arrays after checking that they describe a valid matrix.
    package init(
        rowCount: Int, columnCount: Int, rowOffsets: [Int], columns: [Int32], values: [Float]
    ) throws(LinearAlgebraError) {
        try Self.validateShape(rowCount: rowCount, columnCount: columnCount)
        guard rowOffsets.count == rowCount + 1 else {
            throw .countMismatch(what: "rowOffsets", expected: rowCount + 1, actual: rowOffsets.count)
        }
        guard columns.count == values.count else {
            throw .countMismatch(what: "values", expected: columns.count, actual: values.count)
        }
        guard rowOffsets[0] == 0, rowOffsets[rowCount] == columns.count else {
            throw .invalidStructure("offsets must start at 0 and end at the entry count \(columns.count)")
        }
        for row in 0..<rowCount {
            let start = rowOffsets[row], end = rowOffsets[row + 1]
            guard start <= end else { throw .invalidStructure("offsets decrease at row \(row)") }
            var previous = -1
            for entry in start..<end {
                let column = Int(columns[entry])
                guard column >= 0, column < columnCount else {
                    throw .indexOutOfRange(what: "column of row \(row)", index: column, bound: columnCount)
                }
                guard column > previous else {
                    throw .invalidStructure("columns of row \(row) are not strictly increasing")
                }
                previous = column
            }
        }
        self.init(
            unchecked: rowCount, columnCount: columnCount, rowOffsets: rowOffsets, columns: columns, values: values)
    }

    /// Builds a matrix from coordinate triples in any order; entries with the same (row, column) are summed.
    ///
    /// Runs in O(entries + rows + columns) with two stable counting sorts, so duplicate values are summed
    /// in input order and the result is deterministic.
    package init(
        rowCount: Int, columnCount: Int, rows: [Int32], columns: [Int32], values: [Float]
    ) throws(LinearAlgebraError) {
        let built = try CoordinateBuilder.build(
            rowCount: rowCount, columnCount: columnCount, rows: rows, columns: columns, values: values,
            companions: nil)
        self = built.matrix
    }

    /// Builds a matrix from coordinate triples like `init(rowCount:columnCount:rows:columns:values:)`, and
    /// carries a parallel float64 array through the same reordering, reduced by maximum on duplicates.
    ///
    /// Used for `TrainingData.lastSeen`: the reduced array holds one value per stored entry.
    package static func build(
        rowCount: Int, columnCount: Int, rows: [Int32], columns: [Int32], values: [Float],
        maxReducing companions: [Double]
    ) throws(LinearAlgebraError) -> (matrix: CSRMatrix, reduced: [Double]) {
        let built = try CoordinateBuilder.build(
            rowCount: rowCount, columnCount: columnCount, rows: rows, columns: columns, values: values,
            companions: companions)
        return (built.matrix, built.companions ?? [])
    }

    init(unchecked rowCount: Int, columnCount: Int, rowOffsets: [Int], columns: [Int32], values: [Float]) {
        self.rowCount = rowCount
        self.columnCount = columnCount
        self.rowOffsets = rowOffsets
        self.columns = columns
        self.values = values
    }

    static func validateShape(rowCount: Int, columnCount: Int) throws(LinearAlgebraError) {
        guard rowCount >= 0, rowCount <= Int(Int32.max) else {
            throw .invalidDimension(what: "rowCount", value: rowCount)
        }
        guard columnCount >= 0, columnCount <= Int(Int32.max) else {
            throw .invalidDimension(what: "columnCount", value: columnCount)
        }
    }

    /// The positions of row `row`'s entries in `columns` and `values`.
    @inlinable
    package func entryRange(ofRow row: Int) -> Range<Int> {
        rowOffsets[row]..<rowOffsets[row + 1]
    }

    /// Number of stored entries in row `row`.
    @inlinable
    package func nonzeroCount(ofRow row: Int) -> Int {
        rowOffsets[row + 1] - rowOffsets[row]
    }

    /// Calls `body` with the column indices and values of row `row`, without copying.
    @inlinable
    package func withRow<Result, Failure: Error>(
        _ row: Int,
        _ body: (_ columns: UnsafeBufferPointer<Int32>, _ values: UnsafeBufferPointer<Float>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let range = entryRange(ofRow: row)
        let columnSlice = columns[range]
        let valueSlice = values[range]
        return try columnSlice.withUnsafeBufferPointer { columnBuffer throws(Failure) in
            try valueSlice.withUnsafeBufferPointer { valueBuffer throws(Failure) in
                try body(columnBuffer, valueBuffer)
            }
        }
    }

    /// Whether row `row` stores an entry in column `column` (binary search).
    package func contains(row: Int, column: Int32) -> Bool {
        var low = rowOffsets[row], high = rowOffsets[row + 1]
        while low < high {
            let middle = (low + high) >> 1
            let value = columns[middle]
            if value == column { return true }
            if value < column { low = middle + 1 } else { high = middle }
        }
        return false
    }

    /// The same sparsity structure with new values (one per stored entry, in storage order).
    package func replacingValues(_ newValues: [Float]) -> CSRMatrix {
        precondition(newValues.count == values.count, "one value per stored entry")
        return CSRMatrix(
            unchecked: rowCount, columnCount: columnCount, rowOffsets: rowOffsets, columns: columns, values: newValues)
    }

    /// Number of stored entries in each column.
    package func columnNonzeroCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: columnCount)
        for column in columns { counts[Int(column)] += 1 }
        return counts
    }

    /// The transpose (columns become rows), in O(entries + rows + columns); rows of the result stay sorted.
    package func transposed() -> CSRMatrix {
        transposedWithPermutation().matrix
    }

    /// The transpose, plus for every entry of the result the position of the same entry in `self`.
    ///
    /// The permutation lets callers carry parallel per-entry arrays (such as timestamps) over to the transpose.
    package func transposedWithPermutation() -> (matrix: CSRMatrix, sourceEntries: [Int]) {
        var offsets = [Int](repeating: 0, count: columnCount + 1)
        for column in columns { offsets[Int(column) + 1] += 1 }
        for index in 0..<columnCount { offsets[index + 1] += offsets[index] }
        var next = offsets
        var newColumns = [Int32](repeating: 0, count: nonzeroCount)
        var newValues = [Float](repeating: 0, count: nonzeroCount)
        var source = [Int](repeating: 0, count: nonzeroCount)
        columns.withUnsafeBufferPointer { columnBuffer in
            values.withUnsafeBufferPointer { valueBuffer in
                for row in 0..<rowCount {
                    for entry in rowOffsets[row]..<rowOffsets[row + 1] {
                        let column = Int(columnBuffer[entry])
                        let position = next[column]
                        next[column] = position + 1
                        newColumns[position] = Int32(truncatingIfNeeded: row)
                        newValues[position] = valueBuffer[entry]
                        source[position] = entry
                    }
                }
            }
        }
        let matrix = CSRMatrix(
            unchecked: columnCount, columnCount: rowCount, rowOffsets: offsets, columns: newColumns, values: newValues)
        return (matrix, source)
    }
}
