internal import CBuiltins

/// Typed views of an image's sections: the vectors and the neighbour lists, addressed by item.
///
/// A list is a length followed by that many item ids (`UInt32`). Only a build writes through these pointers,
/// each list under its item's lock (`BuildLocks`); a built index only reads them.
struct GraphStorage: @unchecked Sendable {
    // @unchecked Sendable: plain pointers into an `IndexImage`, which outlives every copy (the index or the build
    // holding it keeps it), and whose writes follow the rule above.

    let vectors: UnsafeMutablePointer<Float>
    let levels: UnsafeMutablePointer<UInt8>
    let upperStarts: UnsafeMutablePointer<UInt32>
    let bottomLinks: UnsafeMutablePointer<UInt32>
    let upperLinks: UnsafeMutablePointer<UInt32>
    let dimension: Int
    /// M.
    let neighbours: Int
    let bottomStride: Int
    let upperStride: Int

    init(image: IndexImage, layout: HNSWLayout) {
        vectors = image.pointer(at: layout.vectors, as: Float.self)
        levels = image.pointer(at: layout.levels, as: UInt8.self)
        upperStarts = image.pointer(at: layout.upperStarts, as: UInt32.self)
        bottomLinks = image.pointer(at: layout.bottomLinks, as: UInt32.self)
        upperLinks = image.pointer(at: layout.upperLinks, as: UInt32.self)
        dimension = layout.dimension
        neighbours = layout.neighbours
        bottomStride = layout.bottomStride
        upperStride = layout.upperStride
    }

    /// The vector of `item`.
    @inline(__always)
    func vector(_ item: Int) -> UnsafeMutablePointer<Float> {
        vectors + item * dimension
    }

    /// The list of `item` on `level` (which must be at most the item's level): its length, then the ids.
    @inline(__always)
    func list(_ item: Int, level: Int) -> UnsafeMutablePointer<UInt32> {
        if level == 0 { return bottomLinks + item * bottomStride }
        return upperLinks + (Int(upperStarts[item]) + level - 1) * upperStride
    }

    /// How many ids a list on `level` holds at most: 2M on the bottom layer, M above.
    @inline(__always)
    func capacity(level: Int) -> Int {
        level == 0 ? 2 * neighbours : neighbours
    }

    /// Starts fetching the vector of `item` into the caches, every line of it. A layer search calls it for all
    /// the unvisited neighbours of an item before scoring any: on 100,000 items that gave 1.5–1.7× the queries a
    /// second of no prefetch at ef 100–200, more than fetching only the first one or two lines of each, or
    /// fetching two to four vectors ahead of the one being scored (best of six alternating passes, 2026-12-05).
    @inline(__always)
    func prefetchVector(_ item: Int) {
        let start = UnsafeRawPointer(vectors + item * dimension)
        var offset = 0
        while offset < dimension * 4 {
            recsmith_prefetch(start + offset)
            offset += 64
        }
    }

    /// Starts fetching the list of `item` on `level` into the caches.
    @inline(__always)
    func prefetchList(_ item: Int, level: Int) {
        recsmith_prefetch(list(item, level: level))
    }

    /// ⟨query, vector of item⟩.
    @inline(__always)
    func score(_ query: UnsafePointer<Float>, _ item: Int) -> Float {
        Dot.product(query, vectors + item * dimension, count: dimension)
    }
}
