import EventFormats

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

    /// For each position of `ids` (repeats allowed), the byte-order rank of its id among the distinct ids; equal
    /// ids get equal ranks, so only distinct ids' bytes are ever compared.
    static func rank(distinct ids: [String]) -> [Int32] {
        var distinctIndex: [ExactID: Int32] = [:]
        var distinct: [String] = []
        let positions = ids.map { id in
            let key = ExactID(id)
            if let known = distinctIndex[key] { return known }
            distinctIndex[key] = Int32(distinct.count)
            distinct.append(id)
            return Int32(distinct.count - 1)
        }
        let rankOf = rank(distinct).rankOf
        return positions.map { rankOf[Int($0)] }
    }

    /// The positions `0..<n` of rows given as columns of ids (each of `n` ids), sorted by the first column, then the
    /// next, in byte order.
    static func positions(sortedBy columns: [String]...) -> [Int] {
        let ranks = columns.map { rank(distinct: $0) }
        return (columns.first ?? []).indices.sorted { lhs, rhs in
            for column in ranks where column[lhs] != column[rhs] { return column[lhs] < column[rhs] }
            return false
        }
    }
}
