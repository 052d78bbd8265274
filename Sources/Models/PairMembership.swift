import LinearAlgebra

/// A users × items bitset of the stored pairs, built only when it takes at most 64 MB.
final class PairMembership: Sendable {
    private let words: [UInt64]
    private let itemCount: Int

    init?(_ matrix: CSRMatrix) {
        let (bits, overflow) = matrix.rowCount.multipliedReportingOverflow(by: matrix.columnCount)
        guard !overflow, bits <= 1 << 29 else { return nil }
        var words = [UInt64](repeating: 0, count: (bits + 63) / 64)
        for user in 0..<matrix.rowCount {
            for entry in matrix.entryRange(ofRow: user) {
                let bit = user * matrix.columnCount + Int(matrix.columns[entry])
                words[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
        self.words = words
        self.itemCount = matrix.columnCount
    }

    @inline(__always)
    func contains(user: Int, item: Int) -> Bool {
        let bit = user * itemCount + item
        return words.withUnsafeBufferPointer { ($0[bit >> 6] >> UInt64(bit & 63)) & 1 != 0 }
    }
}
