import LinearAlgebra
import Testing

struct RandomizedSVDTests {
    /// `count` orthonormal columns of length `length`, row-major (Gram–Schmidt in double on random vectors).
    private func orthonormalColumns(length: Int, count: Int, generator: inout Xoshiro256StarStar) -> [[Double]] {
        var columns: [[Double]] = []
        while columns.count < count {
            var vector = (0..<length).map { _ in Double(generator.nextUnitFloat()) - 0.5 }
            for _ in 0..<2 {
                for other in columns {
                    let dot = zip(vector, other).reduce(0) { $0 + $1.0 * $1.1 }
                    for index in vector.indices { vector[index] -= dot * other[index] }
                }
            }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            columns.append(vector.map { $0 / norm })
        }
        return columns
    }

    /// X = Σ_c s_c·a_c·b_cᵀ with orthonormal a (rows) and b (columns), every entry stored: its singular values
    /// are exactly `singularValues`, the reference.
    private func plantedLowRank(rows: Int, columns: Int, singularValues: [Double], seed: UInt64) throws -> CSRMatrix {
        var generator = makeGenerator(seed)
        let left = orthonormalColumns(length: rows, count: singularValues.count, generator: &generator)
        let right = orthonormalColumns(length: columns, count: singularValues.count, generator: &generator)
        var rowIndices: [Int32] = [], columnIndices: [Int32] = [], values: [Float] = []
        for row in 0..<rows {
            for column in 0..<columns {
                var value = 0.0
                for (c, s) in singularValues.enumerated() { value += s * left[c][row] * right[c][column] }
                rowIndices.append(Int32(row))
                columnIndices.append(Int32(column))
                values.append(Float(value))
            }
        }
        return try CSRMatrix(rowCount: rows, columnCount: columns, rows: rowIndices, columns: columnIndices, values: values)
    }

    @Test func recoversTheSingularValuesOfALowRankMatrix_within1e3() throws {
        let reference: [Double] = [40, 25, 12, 9, 6, 3.5, 2, 1]
        let matrix = try plantedLowRank(rows: 120, columns: 90, singularValues: reference, seed: 3)
        let svd = try RandomizedSVD(matrix, rank: 8, oversamples: 4, powerIterations: 2, seed: 1)
        #expect(svd.singularValues.count == 8)
        for (found, expected) in zip(svd.singularValues, reference) {
            #expect(abs(Double(found) - expected) <= 1e-3 * expected, "σ \(found) vs \(expected)")
        }
    }

    @Test func reconstructsTheMatrixFromOrthonormalFactors() throws {
        let matrix = try plantedLowRank(rows: 50, columns: 70, singularValues: [5, 4, 3, 2], seed: 9)
        let svd = try RandomizedSVD(matrix, rank: 4, oversamples: 6, powerIterations: 2, seed: 2)
        for a in 0..<4 {
            for b in 0..<4 {
                var uDot: Float = 0, vDot: Float = 0
                for row in 0..<50 { uDot += svd.u[row, a] * svd.u[row, b] }
                for column in 0..<70 { vDot += svd.v[column, a] * svd.v[column, b] }
                #expect(abs(uDot - (a == b ? 1 : 0)) < 1e-4 && abs(vDot - (a == b ? 1 : 0)) < 1e-4)
            }
        }
        for row in 0..<50 {
            for entry in matrix.entryRange(ofRow: row) {
                let column = Int(matrix.columns[entry])
                var value: Float = 0
                for c in 0..<4 { value += svd.u[row, c] * svd.singularValues[c] * svd.v[column, c] }
                #expect(abs(value - matrix.values[entry]) < 1e-4)
            }
        }
    }

    @Test func isReproducibleForASeedOnAnyNumberOfWorkers() throws {
        let matrix = try plantedLowRank(rows: 300, columns: 40, singularValues: [3, 2, 1], seed: 4)
        let one = try RandomizedSVD(matrix, rank: 3, oversamples: 5, powerIterations: 1, seed: 8, maxWorkers: 1)
        let all = try RandomizedSVD(matrix, rank: 3, oversamples: 5, powerIterations: 1, seed: 8)
        #expect(one.u == all.u && one.v == all.v && one.singularValues == all.singularValues)
    }

    @Test func capsTheRankAtTheSmallerDimension() throws {
        let matrix = try plantedLowRank(rows: 6, columns: 4, singularValues: [2, 1], seed: 5)
        let svd = try RandomizedSVD(matrix, rank: 10, oversamples: 10, powerIterations: 2, seed: 1)
        #expect(svd.singularValues.count == 4 && svd.u.columnCount == 4 && svd.v.rowCount == 4)
        #expect(abs(svd.singularValues[0] - 2) < 1e-4 && abs(svd.singularValues[1] - 1) < 1e-4)
        #expect(svd.singularValues[2] < 1e-4)
    }

    @Test func stopsBetweenPowerIterationsWhenAsked() throws {
        let matrix = try plantedLowRank(rows: 20, columns: 20, singularValues: [1], seed: 6)
        #expect(throws: RandomizedSVD.Failure.stopped) {
            _ = try RandomizedSVD(matrix, rank: 1, oversamples: 2, powerIterations: 3, seed: 1) { false }
        }
    }
}
