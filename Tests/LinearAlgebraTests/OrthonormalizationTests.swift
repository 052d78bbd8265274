import LinearAlgebra
import Testing

struct OrthonormalizationTests {
    /// The largest |QᵀQ − I| entry and the largest entry of Y − Q·QᵀY (Y must lie in Q's span).
    private func errors(q: [Float], y: [Float], rows: Int, columns: Int) -> (orthogonality: Float, span: Float) {
        var orthogonality: Float = 0, span: Float = 0
        for a in 0..<columns {
            for b in 0..<columns {
                var dot: Float = 0
                for row in 0..<rows { dot += q[row * columns + a] * q[row * columns + b] }
                orthogonality = max(orthogonality, abs(dot - (a == b ? 1 : 0)))
            }
        }
        for column in 0..<columns {
            var coefficients = [Float](repeating: 0, count: columns)
            for basis in 0..<columns {
                for row in 0..<rows { coefficients[basis] += q[row * columns + basis] * y[row * columns + column] }
            }
            for row in 0..<rows {
                var projected: Float = 0
                for basis in 0..<columns { projected += q[row * columns + basis] * coefficients[basis] }
                span = max(span, abs(projected - y[row * columns + column]))
            }
        }
        return (orthogonality, span)
    }

    @Test func orthonormalizesAFullRankMatrixSpanningTheSameColumns() {
        var generator = makeGenerator(11)
        let rows = 9000, columns = 12  // more rows than one chunk
        let y = (0..<(rows * columns)).map { _ in generator.nextUnitFloat() - 0.5 }
        var q = y
        q.withUnsafeMutableBufferPointer { Orthonormalization.orthonormalizeColumns($0.baseAddress!, rows: rows, columns: columns) }
        let found = errors(q: q, y: y, rows: rows, columns: columns)
        #expect(found.orthogonality < 1e-5 && found.span < 1e-4)
    }

    @Test func orthonormalizesAMatrixTooIllConditionedForOnePass() {
        var generator = makeGenerator(14)
        let rows = 3000, columns = 10
        // A shared direction plus noise scaled from 1 down to 4·10⁻⁶: κ ≈ 10⁶, where one pass would leave an
        // orthogonality error near 10⁻⁴.
        let shared = (0..<rows).map { _ in generator.nextUnitFloat() - 0.5 }
        let scales = (0..<columns).map { column in (0..<column).reduce(Float(1)) { scale, _ in scale / 4 } }
        var y = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for column in 0..<columns {
                y[row * columns + column] = shared[row] + scales[column] * (generator.nextUnitFloat() - 0.5)
            }
        }
        var q = y
        q.withUnsafeMutableBufferPointer { Orthonormalization.orthonormalizeColumns($0.baseAddress!, rows: rows, columns: columns) }
        let found = errors(q: q, y: y, rows: rows, columns: columns)
        #expect(found.orthogonality < 1e-5 && found.span < 1e-4)
    }

    @Test func fallsBackToHouseholderForADeficientRank() {
        var generator = makeGenerator(12)
        let rows = 200, columns = 6
        var y = (0..<(rows * columns)).map { _ in generator.nextUnitFloat() - 0.5 }
        for row in 0..<rows { y[row * columns + 5] = y[row * columns] + y[row * columns + 1] }  // column 5 is dependent
        var q = y
        q.withUnsafeMutableBufferPointer { Orthonormalization.orthonormalizeColumns($0.baseAddress!, rows: rows, columns: columns) }
        #expect(errors(q: q, y: y, rows: rows, columns: columns).orthogonality < 1e-4)
    }

    @Test func givesTheSameBitsOnOneWorkerAsOnAll() {
        var generator = makeGenerator(13)
        let rows = 10_000, columns = 8
        var one = (0..<(rows * columns)).map { _ in generator.nextUnitFloat() }
        var all = one
        one.withUnsafeMutableBufferPointer {
            Orthonormalization.orthonormalizeColumns($0.baseAddress!, rows: rows, columns: columns, maxWorkers: 1)
        }
        all.withUnsafeMutableBufferPointer { Orthonormalization.orthonormalizeColumns($0.baseAddress!, rows: rows, columns: columns) }
        #expect(one == all)
    }
}
