import Hashing

extension HNSWIndex {
    /// Writes the index to `path` (replacing it atomically): its image byte for byte, so a loaded index saves
    /// to the same bytes.
    package func save(to path: String) throws(NearestNeighborsError) {
        try image.write(to: path)
    }

    /// The index in the file at `path`, mapped read-only and searched in place (nothing is rebuilt or copied).
    ///
    /// Every byte is checked before the index is used: the header's fields, the checksum, and the graph's
    /// structure (levels, list lengths, ids in range and on the right layers), so a corrupt or foreign file
    /// throws and never traps.
    package static func load(from path: String) throws(NearestNeighborsError) -> HNSWIndex {
        let image = try IndexImage.map(path: path)
        let header = try HNSWHeader.read(from: image.base, available: image.byteCount)
        let layout = header.layout
        let stored = UInt64(littleEndian: image.base.loadUnaligned(fromByteOffset: layout.checksum, as: UInt64.self))
        let computed = Checksum64.of(UnsafeRawBufferPointer(start: image.base, count: layout.checksum))
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }
        try validateGraph(GraphStorage(image: image, layout: layout), header: header)
        try NormHead(image: image, layout: layout).validate(itemCount: header.count)
        return HNSWIndex(image: image, header: header)
    }

    /// Checks what a search trusts: each item's level and upper-list start, the entry point's level, and every
    /// list's length and ids (in range, not the item itself, and present on the list's layer).
    private static func validateGraph(_ graph: GraphStorage, header: HNSWHeader) throws(NearestNeighborsError) {
        let count = header.count
        var start = 0
        for item in 0..<count {
            let level = Int(graph.levels[item])
            guard level <= header.topLevel else {
                throw .invalidFile("item \(item) is on layer \(level), above the top layer \(header.topLevel)")
            }
            guard Int(graph.upperStarts[item]) == (level > 0 ? start : 0) else {
                throw .invalidFile("item \(item)'s upper lists start at \(graph.upperStarts[item]), not \(start)")
            }
            start += level
        }
        guard start == header.upperListCount else {
            throw .invalidFile("levels add up to \(start) upper lists, the header says \(header.upperListCount)")
        }
        guard count == 0 || Int(graph.levels[header.entryPoint]) == header.topLevel else {
            throw .invalidFile("entry point \(header.entryPoint) is not on the top layer")
        }
        for item in 0..<count {
            for level in 0...Int(graph.levels[item]) {
                let list = graph.list(item, level: level)
                let length = Int(list[0])
                guard length <= graph.capacity(level: level) else {
                    throw .invalidFile("item \(item) has \(length) links on layer \(level)")
                }
                for position in 1...max(1, length) where position <= length {
                    let neighbour = Int(list[position])
                    guard neighbour < count, neighbour != item, Int(graph.levels[neighbour]) >= level else {
                        throw .invalidFile("item \(item) links to \(neighbour) on layer \(level)")
                    }
                }
            }
        }
    }
}
