import Foundation
import LinearAlgebra
import Testing

struct BLASTests {
    private func randomMatrix(_ rows: Int, _ columns: Int, _ generator: inout Xoshiro256StarStar) -> DenseMatrix {
        var matrix = DenseMatrix(rowCount: rows, columnCount: columns)
        for index in matrix.storage.indices { matrix.storage[index] = generator.nextUnitFloat() - 0.5 }
        return matrix
    }

    private func naiveProduct(_ a: DenseMatrix, _ b: DenseMatrix, transposeA: Bool, transposeB: Bool) -> [Float] {
        let m = transposeA ? a.columnCount : a.rowCount
        let k = transposeA ? a.rowCount : a.columnCount
        let n = transposeB ? b.rowCount : b.columnCount
        var result = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Double = 0
                for l in 0..<k {
                    let left = transposeA ? a[l, i] : a[i, l]
                    let right = transposeB ? b[j, l] : b[l, j]
                    sum += Double(left) * Double(right)
                }
                result[i * n + j] = Float(sum)
            }
        }
        return result
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesNaiveProduct(transposeA: Bool, transposeB: Bool) {
        BLAS.useSingleThread()
        var generator = makeGenerator(1)
        let a = transposeA ? randomMatrix(7, 5, &generator) : randomMatrix(5, 7, &generator)
        let b = transposeB ? randomMatrix(4, 7, &generator) : randomMatrix(7, 4, &generator)
        let product = BLAS.multiply(a, transposeA ? .transpose : .none, b, transposeB ? .transpose : .none)
        #expect(product.rowCount == 5 && product.columnCount == 4)
        let expected = naiveProduct(a, b, transposeA: transposeA, transposeB: transposeB)
        for (value, reference) in zip(product.storage, expected) { #expect(isClose(value, reference)) }
    }

    @Test func usesVectorKernelsWhenTheCPUHasThem() throws {
        BLAS.useSingleThread()
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let flags = Set(cpuInfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? [])
        if flags.contains("avx2"), flags.contains("fma") {
            #expect(BLAS.coreName != "Prescott", "OpenBLAS runs SSE3 kernels on an AVX2 machine")
        }
    }

    @Test func gramMatchesNaiveProductPlusRegularization() {
        var generator = makeGenerator(2)
        let a = randomMatrix(11, 6, &generator)
        let gram = BLAS.gram(a, regularization: 0.5)
        let expected = naiveProduct(a, a, transposeA: true, transposeB: false)
        for row in 0..<6 {
            for column in 0..<6 {
                let reference = expected[row * 6 + column] + (row == column ? 0.5 : 0)
                #expect(isClose(gram[row, column], reference))
            }
        }
    }

    @Test func gemvDotAndAxpyMatchNaiveLoops() {
        var generator = makeGenerator(3)
        let a = randomMatrix(9, 13, &generator)
        let x = (0..<13).map { _ in generator.nextUnitFloat() }
        let z = (0..<9).map { _ in generator.nextUnitFloat() }
        var y = [Float](repeating: 1, count: 9)
        var yt = [Float](repeating: 0, count: 13)
        a.withUnsafeBufferPointer { matrix in
            BLAS.gemv(.none, rows: 9, columns: 13, alpha: 2, a: matrix.baseAddress!, lda: 13, x: x, beta: 1, y: &y)
            BLAS.gemv(.transpose, rows: 9, columns: 13, alpha: 1, a: matrix.baseAddress!, lda: 13, x: z, beta: 0, y: &yt)
        }
        for row in 0..<9 {
            let reference = 1 + 2 * (0..<13).reduce(Float(0)) { $0 + a[row, $1] * x[$1] }
            #expect(isClose(y[row], reference))
        }
        for column in 0..<13 {
            let reference = (0..<9).reduce(Float(0)) { $0 + a[$1, column] * z[$1] }
            #expect(isClose(yt[column], reference))
        }
        let reference = zip(x, x).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(isClose(BLAS.dot(count: 13, x, x), reference))
        var target = x
        BLAS.axpy(count: 13, alpha: -0.5, x, &target)
        for index in 0..<13 { #expect(isClose(target[index], 0.5 * x[index])) }
    }

    @Test(arguments: [0, 1, 7, 8, 16, 23, 64, 65])
    func vectorKernelsMatchNaiveLoops(count: Int) {
        var generator = makeGenerator(UInt64(count) + 10)
        let x = (0..<count).map { _ in generator.nextUnitFloat() - 0.5 }
        var y = (0..<count).map { _ in generator.nextUnitFloat() - 0.5 }
        let original = y
        let reference = zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                let dot = count == 0 ? 0 : VectorKernels.dot(xs.baseAddress!, UnsafePointer(ys.baseAddress!), count: count)
                #expect(isClose(dot, reference))
                if count > 0 { VectorKernels.axpy(3, xs.baseAddress!, ys.baseAddress!, count: count) }
            }
        }
        for index in 0..<count { #expect(isClose(y[index], original[index] + 3 * x[index])) }
    }
}
