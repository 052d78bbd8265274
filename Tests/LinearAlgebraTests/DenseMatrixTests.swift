import LinearAlgebra
import Testing

struct DenseMatrixTests {
    @Test func storesRowMajorAndExposesRows() throws {
        var matrix = try DenseMatrix(rowCount: 2, columnCount: 3, storage: [1, 2, 3, 4, 5, 6])
        #expect(matrix[1, 0] == 4)
        matrix.withRow(1) { row in #expect(Array(row) == [4, 5, 6]) }
        matrix.withMutableRow(0) { row in row[2] = 9 }
        #expect(matrix.storage == [1, 2, 9, 4, 5, 6])
        #expect(matrix.isFinite)
        matrix[0, 0] = .nan
        #expect(!matrix.isFinite)
    }

    @Test func rejectsStorageOfWrongSize() {
        #expect(throws: LinearAlgebraError.countMismatch(what: "storage", expected: 6, actual: 5)) {
            try DenseMatrix(rowCount: 2, columnCount: 3, storage: [1, 2, 3, 4, 5])
        }
    }
}
