import LinearAlgebra
import Testing

struct TallSkinnyTests {
    /// Rows past one chunk (512) and not a multiple of it.
    private let rows = 1_300, columns = 7

    private func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> [Float] {
        var generator = makeGenerator(seed)
        return (0..<(rows * columns)).map { _ in generator.nextUnitFloat() - 0.5 }
    }

    private func randomTransform(rows: Int, columns: Int, seed: UInt64) -> [Double] {
        var generator = makeGenerator(seed)
        return (0..<(rows * columns)).map { _ in Double(generator.nextUnitFloat()) - 0.5 }
    }

    /// Y·T in double, the naive way (T the identity when nil).
    private func naiveProduct(_ y: [Float], rows: Int, columns: Int, _ t: [Double]?, outputColumns: Int) -> [Double] {
        var result = [Double](repeating: 0, count: rows * outputColumns)
        for row in 0..<rows {
            for output in 0..<outputColumns {
                guard let t else {
                    result[row * outputColumns + output] = Double(y[row * columns + output])
                    continue
                }
                for inner in 0..<columns {
                    result[row * outputColumns + output] += Double(y[row * columns + inner]) * t[inner * outputColumns + output]
                }
            }
        }
        return result
    }

    private func naiveGram(_ z: [Double], rows: Int, columns: Int) -> [Double] {
        var gram = [Double](repeating: 0, count: columns * columns)
        for a in 0..<columns {
            for b in 0..<columns {
                for row in 0..<rows { gram[a * columns + b] += z[row * columns + a] * z[row * columns + b] }
            }
        }
        return gram
    }

    private func isClose(_ a: Double, _ b: Double, relativeTolerance: Double) -> Bool {
        abs(a - b) <= relativeTolerance * max(abs(a), abs(b), 1)
    }

    @Test func gramMatchesANaiveReference_withAndWithoutATransform() {
        let y = randomMatrix(rows: rows, columns: columns, seed: 21)
        let t = randomTransform(rows: columns, columns: columns, seed: 22)
        let plain = y.withUnsafeBufferPointer { TallSkinny.gram($0.baseAddress!, rows: rows, columns: columns) }
        let transformed = y.withUnsafeBufferPointer { matrix in
            t.withUnsafeBufferPointer {
                TallSkinny.gram(matrix.baseAddress!, rows: rows, columns: columns, transform: $0.baseAddress!)
            }
        }
        let plainReference = naiveGram(
            naiveProduct(y, rows: rows, columns: columns, nil, outputColumns: columns), rows: rows, columns: columns)
        let transformedReference = naiveGram(
            naiveProduct(y, rows: rows, columns: columns, t, outputColumns: columns), rows: rows, columns: columns)
        for index in plain.indices {
            #expect(isClose(plain[index], plainReference[index], relativeTolerance: 1e-12))
            #expect(isClose(transformed[index], transformedReference[index], relativeTolerance: 1e-12))
        }
    }

    @Test func multiplyMatchesANaiveReference_toANarrowerOutput() {
        let y = randomMatrix(rows: rows, columns: columns, seed: 23)
        let t = randomTransform(rows: columns, columns: 3, seed: 24)
        var output = [Float](repeating: .nan, count: rows * 3)
        y.withUnsafeBufferPointer { matrix in
            t.withUnsafeBufferPointer { transform in
                output.withUnsafeMutableBufferPointer {
                    TallSkinny.multiply(
                        matrix.baseAddress!, rows: rows, columns: columns, by: transform.baseAddress!, outputColumns: 3,
                        into: $0.baseAddress!)
                }
            }
        }
        let reference = naiveProduct(y, rows: rows, columns: columns, t, outputColumns: 3)
        for index in output.indices { #expect(isClose(Double(output[index]), reference[index], relativeTolerance: 1e-6)) }
    }

    @Test func multiplyChainsTwoTransformsInPlace() {
        let y = randomMatrix(rows: rows, columns: columns, seed: 25)
        let first = randomTransform(rows: columns, columns: columns, seed: 26)
        let second = randomTransform(rows: columns, columns: columns, seed: 27)
        var inPlace = y
        inPlace.withUnsafeMutableBufferPointer { matrix in
            first.withUnsafeBufferPointer { a in
                second.withUnsafeBufferPointer { b in
                    TallSkinny.multiply(
                        matrix.baseAddress!, rows: rows, columns: columns, by: a.baseAddress!, then: b.baseAddress!,
                        outputColumns: columns, into: matrix.baseAddress!)
                }
            }
        }
        let intermediate = naiveProduct(y, rows: rows, columns: columns, first, outputColumns: columns)
        var reference = [Double](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for output in 0..<columns {
                for inner in 0..<columns {
                    reference[row * columns + output] += intermediate[row * columns + inner] * second[inner * columns + output]
                }
            }
        }
        for index in inPlace.indices { #expect(isClose(Double(inPlace[index]), reference[index], relativeTolerance: 1e-6)) }
    }

    @Test func givesTheSameBitsOnOneWorkerAsOnAll() {
        let rows = 20_000, columns = 5
        let y = randomMatrix(rows: rows, columns: columns, seed: 28)
        let t = randomTransform(rows: columns, columns: columns, seed: 29)
        func run(maxWorkers: Int) -> (gram: [Double], product: [Float]) {
            var product = [Float](repeating: 0, count: rows * columns)
            let gram = y.withUnsafeBufferPointer { matrix in
                t.withUnsafeBufferPointer { transform in
                    product.withUnsafeMutableBufferPointer {
                        TallSkinny.multiply(
                            matrix.baseAddress!, rows: rows, columns: columns, by: transform.baseAddress!,
                            outputColumns: columns, into: $0.baseAddress!, maxWorkers: maxWorkers)
                    }
                    return TallSkinny.gram(
                        matrix.baseAddress!, rows: rows, columns: columns, transform: transform.baseAddress!,
                        maxWorkers: maxWorkers)
                }
            }
            return (gram, product)
        }
        let one = run(maxWorkers: 1), all = run(maxWorkers: 0)
        #expect(one.gram == all.gram && one.product == all.product)
    }
}
