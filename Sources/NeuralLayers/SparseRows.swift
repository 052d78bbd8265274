/// A mini-batch of sparse rows (CSR): row r holds `columns[offsets[r] ..< offsets[r + 1]]` with `values`.
/// The inputs of an embedding bag and the targets of a softmax. Cleared and refilled per batch, keeping its
/// capacity, so filling it allocates only while it grows.
package struct SparseRows: Sendable {
    /// `rowCount + 1` offsets into `columns` and `values`, from 0.
    package private(set) var offsets: [Int] = [0]
    /// Column of each entry.
    package private(set) var columns: [Int32] = []
    /// Value of each entry.
    package private(set) var values: [Float] = []

    /// An empty batch.
    package init() {}

    /// Number of rows.
    package var rowCount: Int { offsets.count - 1 }

    /// Entries of row `row`.
    package func range(ofRow row: Int) -> Range<Int> { offsets[row]..<offsets[row + 1] }

    /// Removes every row, keeping the capacity.
    package mutating func removeAll() {
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        columns.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// Adds an entry to the row being built.
    package mutating func append(column: Int32, value: Float) {
        columns.append(column)
        values.append(value)
    }

    /// Ends the row being built (it may be empty).
    package mutating func endRow() { offsets.append(columns.count) }

    /// Replaces every column `c` by `map[c]` (the candidate position of an item, for a sampled softmax).
    package mutating func remapColumns(_ map: [Int32]) {
        for index in columns.indices { columns[index] = map[Int(columns[index])] }
    }
}
