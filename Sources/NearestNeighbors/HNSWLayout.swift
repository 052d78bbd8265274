/// Where each part of an index lies in its image: the bytes of the file and of the index in memory are the
/// same, so a file is searched where it is mapped.
///
/// | offset | size | content |
/// |---|---|---|
/// | 0 | 128 | header (`HNSWHeader`) |
/// | `vectors` | count·dimension·4 | the items' vectors, float32, row-major (normalised for cosine) |
/// | `levels` | count | each item's top layer, UInt8 |
/// | `upperStarts` | count·4 | each item's first upper-layer list in the upper lists, UInt32 (0 for layer-0 items) |
/// | `bottomLinks` | count·(1 + 2M)·4 | each item's bottom-layer list: its length, then up to 2M item ids, UInt32 |
/// | `upperLinks` | upperListCount·(1 + M)·4 | the upper-layer lists, layer 1 first for each item, same shape with M ids |
/// | `headItems` | head·4 | inner product only: the `head` items of largest norm, largest first, UInt32 |
/// | `headNorms` | (head + 1)·4, none without a head | their norms, then the largest norm of any other item (0 if none), float32 |
/// | `headVectors` | head·dimension·4 | their vectors, in the same order, float32, row-major |
/// | `checksum` | 8 | `Checksum64` of every byte before it |
///
/// Sections start on 64-byte boundaries (zero padding between); numbers are little-endian, as the host.
struct HNSWLayout: Equatable {
    /// Bytes of the header.
    static let headerSize = 128
    /// Alignment of every section.
    static let alignment = 64

    /// Items.
    let count: Int
    /// Floats per vector.
    let dimension: Int
    /// M: ids per upper-layer list (twice as many per bottom-layer list).
    let neighbours: Int
    /// Upper-layer lists of all items: the sum of their levels.
    let upperListCount: Int
    /// Items of largest norm kept apart for an exact scan (`HNSWIndex.search`); 0 for cosine.
    let headCount: Int

    let vectors: Int
    let levels: Int
    let upperStarts: Int
    let bottomLinks: Int
    let upperLinks: Int
    let headItems: Int
    let headNorms: Int
    let headVectors: Int
    let checksum: Int
    /// Bytes of the whole image, checksum included.
    let byteCount: Int

    /// UInt32s per bottom-layer list (length and 2M ids).
    var bottomStride: Int { 1 + 2 * neighbours }
    /// UInt32s per upper-layer list (length and M ids).
    var upperStride: Int { 1 + neighbours }

    /// The layout of an index with these counts, which the caller has bounded (no overflow for counts below
    /// 2³¹, dimensions below 2¹⁶, M below 2¹⁰, 64 levels per item and a head of at most `count` items).
    init(count: Int, dimension: Int, neighbours: Int, upperListCount: Int, headCount: Int) {
        self.count = count
        self.dimension = dimension
        self.neighbours = neighbours
        self.upperListCount = upperListCount
        self.headCount = headCount
        var offset = Self.headerSize
        func section(_ bytes: Int) -> Int {
            let start = Self.aligned(offset)
            offset = start + bytes
            return start
        }
        vectors = section(count * dimension * 4)
        levels = section(count)
        upperStarts = section(count * 4)
        bottomLinks = section(count * (1 + 2 * neighbours) * 4)
        upperLinks = section(upperListCount * (1 + neighbours) * 4)
        headItems = section(headCount * 4)
        headNorms = section(headCount > 0 ? (headCount + 1) * 4 : 0)
        headVectors = section(headCount * dimension * 4)
        checksum = section(8)
        byteCount = offset
    }

    private static func aligned(_ offset: Int) -> Int {
        (offset + alignment - 1) / alignment * alignment
    }
}
