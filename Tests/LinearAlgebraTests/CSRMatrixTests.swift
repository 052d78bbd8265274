import LinearAlgebra
import Testing

struct CSRMatrixTests {
    @Test func sumsDuplicatesAndSortsColumns() throws {
        let matrix = try CSRMatrix(
            rowCount: 3, columnCount: 4,
            rows: [2, 0, 2, 0, 2, 0],
            columns: [3, 1, 0, 1, 3, 0],
            values: [1, 2, 3, 4, 5, 6])
        #expect(matrix.rowOffsets == [0, 2, 2, 4])
        #expect(matrix.columns == [0, 1, 0, 3])
        #expect(matrix.values == [6, 6, 3, 6])
        #expect(matrix.nonzeroCount == 4)
        #expect(matrix.nonzeroCount(ofRow: 1) == 0)
        #expect(matrix.contains(row: 2, column: 3))
        #expect(!matrix.contains(row: 1, column: 0))
    }

    @Test func keepsEmptyRowsAndEmptyMatrix() throws {
        let empty = try CSRMatrix(rowCount: 0, columnCount: 0, rows: [], columns: [], values: [])
        #expect(empty.rowOffsets == [0])
        let sparse = try CSRMatrix(rowCount: 4, columnCount: 2, rows: [3], columns: [1], values: [7])
        #expect(sparse.rowOffsets == [0, 0, 0, 0, 1])
        sparse.withRow(3) { columns, values in
            #expect(Array(columns) == [1])
            #expect(Array(values) == [7])
        }
        sparse.withRow(0) { columns, _ in #expect(columns.isEmpty) }
    }

    @Test func reducesCompanionValuesByMaximum() throws {
        let built = try CSRMatrix.build(
            rowCount: 2, columnCount: 2,
            rows: [1, 0, 1, 1], columns: [0, 1, 0, 1], values: [1, 1, 1, 1],
            maxReducing: [10, 5, 30, 7])
        #expect(built.matrix.columns == [1, 0, 1])
        #expect(built.matrix.values == [1, 2, 1])
        #expect(built.reduced == [5, 30, 7])
    }

    @Test func rejectsOutOfRangeIndicesAndCountMismatch() {
        #expect(throws: LinearAlgebraError.indexOutOfRange(what: "column of entry 0", index: 5, bound: 2)) {
            try CSRMatrix(rowCount: 1, columnCount: 2, rows: [0], columns: [5], values: [1])
        }
        #expect(throws: LinearAlgebraError.self) {
            try CSRMatrix(rowCount: 1, columnCount: 2, rows: [0, 0], columns: [1], values: [1])
        }
        #expect(throws: LinearAlgebraError.self) {
            try CSRMatrix(rowCount: 1, columnCount: 2, rows: [-1], columns: [1], values: [1])
        }
    }

    @Test func rejectsInvalidRawArrays() {
        #expect(throws: LinearAlgebraError.self) {
            try CSRMatrix(rowCount: 1, columnCount: 3, rowOffsets: [0, 2], columns: [2, 1], values: [1, 1])
        }
        #expect(throws: LinearAlgebraError.self) {
            try CSRMatrix(rowCount: 2, columnCount: 3, rowOffsets: [0, 2, 1], columns: [0, 1], values: [1, 1])
        }
        #expect(throws: LinearAlgebraError.self) {
            try CSRMatrix(rowCount: 1, columnCount: 1, rowOffsets: [0, 1], columns: [0, 0], values: [1, 1])
        }
    }

    @Test func transposeRoundTripsAndMatchesDense() throws {
        var generator = makeGenerator(7)
        var rows = [Int32](), columns = [Int32](), values = [Float]()
        for _ in 0..<300 {
            rows.append(Int32(generator.nextIndex(below: 23)))
            columns.append(Int32(generator.nextIndex(below: 17)))
            values.append(Float(generator.nextIndex(below: 5) + 1))
        }
        let matrix = try CSRMatrix(rowCount: 25, columnCount: 17, rows: rows, columns: columns, values: values)
        let transposed = matrix.transposed()
        #expect(transposed.rowCount == 17 && transposed.columnCount == 25)
        #expect(transposed.transposed() == matrix)
        var dense = [[Float]](repeating: [Float](repeating: 0, count: 17), count: 25)
        for index in rows.indices { dense[Int(rows[index])][Int(columns[index])] += values[index] }
        for column in 0..<17 {
            transposed.withRow(column) { rowIndices, rowValues in
                var previous: Int32 = -1
                for (row, value) in zip(rowIndices, rowValues) {
                    #expect(row > previous)
                    previous = row
                    #expect(dense[Int(row)][column] == value)
                }
            }
        }
        let (_, source) = matrix.transposedWithPermutation()
        for (position, entry) in source.enumerated() { #expect(transposed.values[position] == matrix.values[entry]) }
        #expect(matrix.columnNonzeroCounts() == (0..<17).map { transposed.nonzeroCount(ofRow: $0) })
    }
}
