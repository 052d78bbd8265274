import LinearAlgebra
import Testing

struct SymmetricInverseTests {
    /// A random symmetric positive-definite matrix `AᵀA/rows + I`, row-major (both triangles).
    private func randomSPD(size: Int, seed: UInt64 = 7) -> [Float] {
        var generator = makeGenerator(seed)
        let rows = size + 5
        let a = (0..<(rows * size)).map { _ in generator.nextUnitFloat() - 0.5 }
        var matrix = [Float](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = 0.0
                for r in 0..<rows { sum += Double(a[r * size + i]) * Double(a[r * size + j]) }
                let value = Float(sum / Double(rows)) + (i == j ? 1 : 0)
                matrix[i * size + j] = value
                matrix[j * size + i] = value
            }
        }
        return matrix
    }

    /// The largest |(G·P − I)[i, j]|, in double precision.
    private func residual(_ g: [Float], _ p: [Float], size: Int) -> Double {
        var worst = 0.0
        for i in 0..<size {
            for j in 0..<size {
                var sum = 0.0
                for k in 0..<size { sum += Double(g[i * size + k]) * Double(p[k * size + j]) }
                worst = max(worst, abs(sum - (i == j ? 1 : 0)))
            }
        }
        return worst
    }

    @Test(arguments: [1, 5, 64, 150])
    func invertsInPlace_acrossUnevenBlocks(size: Int) throws {
        let g = randomSPD(size: size)
        var p = g
        try p.withUnsafeMutableBufferPointer { buffer throws(SymmetricInverse.Failure) in
            try SymmetricInverse.invert(buffer.baseAddress!, size: size, blockSize: 32)
        }
        #expect(residual(g, p, size: size) < 1e-4)
        for i in 0..<size {
            for j in 0..<i { #expect(p[i * size + j] == p[j * size + i], "the inverse is stored symmetric") }
        }
    }

    @Test func givesTheSameBitsOnOneWorkerAsOnAll() throws {
        let size = 130
        var one = randomSPD(size: size), all = one
        try one.withUnsafeMutableBufferPointer { buffer throws(SymmetricInverse.Failure) in
            try SymmetricInverse.invert(buffer.baseAddress!, size: size, blockSize: 32, maxWorkers: 1)
        }
        try all.withUnsafeMutableBufferPointer { buffer throws(SymmetricInverse.Failure) in
            try SymmetricInverse.invert(buffer.baseAddress!, size: size, blockSize: 32)
        }
        #expect(one == all)
    }

    @Test func reportsTheColumnWhereTheMatrixIsNotPositiveDefinite() {
        let size = 70
        var matrix = randomSPD(size: size)
        matrix[40 * size + 40] = -1
        #expect(throws: SymmetricInverse.Failure.notPositiveDefinite(column: 40)) {
            try matrix.withUnsafeMutableBufferPointer { buffer throws(SymmetricInverse.Failure) in
                try SymmetricInverse.invert(buffer.baseAddress!, size: size, blockSize: 16)
            }
        }
    }

    @Test func stopsBetweenStepsWhenAsked() {
        let size = 100
        var matrix = randomSPD(size: size)
        var asked = 0
        #expect(throws: SymmetricInverse.Failure.stopped) {
            try matrix.withUnsafeMutableBufferPointer { buffer throws(SymmetricInverse.Failure) in
                try SymmetricInverse.invert(buffer.baseAddress!, size: size, blockSize: 16) {
                    asked += 1
                    return asked < 3
                }
            }
        }
        #expect(asked == 3)
    }
}
