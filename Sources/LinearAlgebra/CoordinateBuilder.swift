/// Turns coordinate triples into CSR with two stable counting sorts (by column, then by row).
enum CoordinateBuilder {
    static func build(
        rowCount: Int, columnCount: Int, rows: [Int32], columns: [Int32], values: [Float], companions: [Double]?
    ) throws(LinearAlgebraError) -> (matrix: CSRMatrix, companions: [Double]?) {
        try CSRMatrix.validateShape(rowCount: rowCount, columnCount: columnCount)
        let count = rows.count
        guard columns.count == count else {
            throw .countMismatch(what: "columns", expected: count, actual: columns.count)
        }
        guard values.count == count else {
            throw .countMismatch(what: "values", expected: count, actual: values.count)
        }
        if let companions, companions.count != count {
            throw .countMismatch(what: "companion values", expected: count, actual: companions.count)
        }
        guard count <= Int(Int32.max) else { throw .invalidDimension(what: "entry count", value: count) }
        for index in 0..<count {
            let row = Int(rows[index]), column = Int(columns[index])
            guard row >= 0, row < rowCount else {
                throw .indexOutOfRange(what: "row of entry \(index)", index: row, bound: rowCount)
            }
            guard column >= 0, column < columnCount else {
                throw .indexOutOfRange(what: "column of entry \(index)", index: column, bound: columnCount)
            }
        }

        // Stable counting sort by column, then stable counting sort by row: rows come out grouped and
        // each row's entries ordered by column, with duplicates adjacent in input order.
        let byColumn = countingSort(keys: columns, order: nil, bucketCount: columnCount)
        let byRow = countingSort(keys: rows, order: byColumn, bucketCount: rowCount)

        var offsets = [Int](repeating: 0, count: rowCount + 1)
        var outColumns = [Int32]()
        var outValues = [Float]()
        var outCompanions = [Double]()
        outColumns.reserveCapacity(count)
        outValues.reserveCapacity(count)
        if companions != nil { outCompanions.reserveCapacity(count) }

        var position = 0
        for row in 0..<rowCount {
            while position < count, Int(rows[Int(byRow[position])]) == row {
                let first = Int(byRow[position])
                let column = columns[first]
                var sum = Double(values[first])
                var latest = companions?[first] ?? 0
                position += 1
                while position < count {
                    let next = Int(byRow[position])
                    guard rows[next] == rows[first], columns[next] == column else { break }
                    sum += Double(values[next])
                    if let companions { latest = max(latest, companions[next]) }
                    position += 1
                }
                outColumns.append(column)
                outValues.append(Float(sum))
                if companions != nil { outCompanions.append(latest) }
            }
            offsets[row + 1] = outColumns.count
        }
        let matrix = CSRMatrix(
            unchecked: rowCount, columnCount: columnCount, rowOffsets: offsets, columns: outColumns,
            values: outValues)
        return (matrix, companions == nil ? nil : outCompanions)
    }

    /// Entry indices ordered by `keys`, stable; `order` is the input order to respect (identity when nil).
    private static func countingSort(keys: [Int32], order: [Int32]?, bucketCount: Int) -> [Int32] {
        var starts = [Int](repeating: 0, count: bucketCount + 1)
        for key in keys { starts[Int(key) + 1] += 1 }
        for bucket in 0..<bucketCount { starts[bucket + 1] += starts[bucket] }
        var result = [Int32](repeating: 0, count: keys.count)
        if let order {
            for entry in order {
                let bucket = Int(keys[Int(entry)])
                result[starts[bucket]] = entry
                starts[bucket] += 1
            }
        } else {
            for entry in 0..<keys.count {
                let bucket = Int(keys[entry])
                result[starts[bucket]] = Int32(truncatingIfNeeded: entry)
                starts[bucket] += 1
            }
        }
        return result
    }
}
