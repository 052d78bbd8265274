import LinearAlgebra
import NeuralLayers
import TestSupport
import Testing

/// The embedding bag and its sparse gradient rows.
struct EmbeddingTableTests {
    static let (rows, width) = (9, 3)

    static func inputs() -> SparseRows {
        var inputs = SparseRows()
        for row in [[(0, 0.5), (4, -1.0)], [], [(4, 2.0), (8, 1.0), (2, 0.25)]] as [[(Int, Double)]] {
            for (column, value) in row { inputs.append(column: Int32(column), value: Float(value)) }
            inputs.endRow()
        }
        return inputs
    }

    @Test func bagGradientMatchesCentralDifferencesAndMarksOnlyItsRows() {
        var generator = Xoshiro256StarStar(seed: 8)
        let table = EmbeddingTable(rows: Self.rows, width: Self.width, fanIn: Self.rows, generator: &generator)
        let inputs = Self.inputs()
        let r = GradientCheck.uniform(inputs.rowCount * Self.width, -1...1, &generator)
        var output = [Float](repeating: 9, count: r.count)
        table.bag(inputs, into: &output)
        table.bagBackward(inputs, outputGradient: r)
        #expect(output[Self.width..<2 * Self.width].allSatisfy { $0 == 0 }, "an empty row sums to zero")
        GradientCheck.expectMatches(table.table.gradient.floats, at: table.table.value.doubles, "∂E") { e in
            var total = 0.0
            for row in 0..<inputs.rowCount {
                for entry in inputs.range(ofRow: row) {
                    for k in 0..<Self.width {
                        total += Double(inputs.values[entry]) * e[Int(inputs.columns[entry]) * Self.width + k]
                            * Double(r[row * Self.width + k])
                    }
                }
            }
            return total
        }
        for row in [1, 3, 5, 6, 7] {
            #expect((0..<Self.width).allSatisfy { table.table.gradient[row, $0] == 0 }, "row \(row) is not read")
        }
    }

    @Test func adamMovesOnlyTouchedRows() {
        var generator = Xoshiro256StarStar(seed: 9)
        let table = EmbeddingTable(rows: Self.rows, width: Self.width, fanIn: Self.rows, generator: &generator)
        let before = table.table.value.floats
        var output = [Float](repeating: 0, count: 3 * Self.width)
        let inputs = Self.inputs()
        table.bag(inputs, into: &output)
        table.bagBackward(inputs, outputGradient: [Float](repeating: 1, count: output.count))
        var adam = Adam(learningRate: 0.1)
        adam.step([table.table])
        let after = table.table.value.floats
        for row in 0..<Self.rows {
            let moved = (0..<Self.width).contains { before[row * Self.width + $0] != after[row * Self.width + $0] }
            #expect(moved == [0, 2, 4, 8].contains(row), "row \(row)")
        }
        #expect(table.table.gradient.floats.allSatisfy { $0 == 0 }, "the step clears the gradient")
    }
}
