/// Id ordering of the protocol (docs/EVALUATION.md §2): ascending byte-wise over UTF-8, not `String <`
/// (which compares Unicode canonical equivalents and would put "é" precomposed and decomposed together).
package enum ByteOrder {
    /// Whether `lhs` sorts before `rhs` byte-wise over their UTF-8 encodings.
    package static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `ids` sorted in byte order, and for each input position the index of that id in the sorted array.
    /// The ids must be distinct.
    static func rank(_ ids: [String]) -> (sorted: [String], rankOf: [Int32]) {
        let order = ids.indices.sorted { precedes(ids[$0], ids[$1]) }
        var rankOf = [Int32](repeating: 0, count: ids.count)
        for (rank, original) in order.enumerated() {
            rankOf[original] = Int32(rank)
        }
        return (order.map { ids[$0] }, rankOf)
    }
}
