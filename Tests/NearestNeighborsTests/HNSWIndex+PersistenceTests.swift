import Foundation
import Hashing
import NearestNeighbors
import Testing

struct HNSWIndexPersistenceTests {
    private let dimension = 8
    private let count = 800

    private func builtIndex(metric: VectorMetric = .innerProduct) throws -> (HNSWIndex, [Float]) {
        let vectors = clusteredVectors(count: count, dimension: dimension, seed: 21)
        let index = try buildIndex(
            vectors, dimension: dimension, metric: metric, parameters: smallParameters(searchWidth: 30, headCount: 100))
        return (index, vectors)
    }

    /// The bytes of `index`'s file.
    private func saved(_ index: HNSWIndex) throws -> Data {
        try withTemporaryFile { path in
            try index.save(to: path)
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }

    /// Writes `bytes` to a file and loads it.
    private func load(_ bytes: Data) throws -> HNSWIndex {
        try withTemporaryFile { path in
            try bytes.write(to: URL(fileURLWithPath: path))
            return try HNSWIndex.load(from: path)
        }
    }

    /// Where item 0's bottom-layer list starts, by the layout `HNSWLayout` documents.
    private func bottomLinksOffset() -> Int {
        func aligned(_ offset: Int) -> Int { (offset + 63) / 64 * 64 }
        let levels = aligned(128 + count * dimension * 4)
        let upperStarts = aligned(levels + count)
        return aligned(upperStarts + count * 4)
    }

    /// `bytes` with its trailing checksum recomputed.
    private func resealed(_ bytes: Data) -> Data {
        var copy = bytes
        let checksum = copy.withUnsafeBytes { Checksum64.of(UnsafeRawBufferPointer(rebasing: $0[0..<(copy.count - 8)])) }
        withUnsafeBytes(of: checksum.littleEndian) { copy.replaceSubrange((copy.count - 8)..<copy.count, with: $0) }
        return copy
    }

    @Test(arguments: VectorMetric.allCases)
    func aSavedIndexLoadsMappedSavesToTheSameBytesAndAnswersTheSame(metric: VectorMetric) throws {
        let (index, vectors) = try builtIndex(metric: metric)
        let bytes = try saved(index)
        #expect(bytes.count == index.byteCount)
        let loaded = try load(bytes)
        #expect(loaded.isMapped && !index.isMapped)
        #expect(loaded.metric == metric && loaded.count == count && loaded.dimension == dimension)
        #expect(loaded.parameters == index.parameters)
        #expect(loaded.bytesPerItem == index.bytesPerItem)
        let again = try saved(loaded)
        #expect(again == bytes)
        for query in 0..<20 {
            let vector = row(vectors, query * 37, dimension: dimension)
            #expect(loaded.search(vector, count: 10) { $0 % 2 == 0 } == index.search(vector, count: 10) { $0 % 2 == 0 })
        }
    }

    @Test func refusesAFileThatIsNotAnIndex() throws {
        #expect(throws: NearestNeighborsError.truncated(needed: 136, available: 0)) { try load(Data()) }
        #expect(throws: NearestNeighborsError.badMagic) { try load(Data("not an index".utf8)) }
        #expect(throws: NearestNeighborsError.badMagic) { try load(Data(repeating: 7, count: 4_096)) }
        #expect {
            try HNSWIndex.load(from: "/nonexistent/index.hnsw")
        } throws: { error in
            guard case .io(operation: "open", _, _, _)? = error as? NearestNeighborsError else { return false }
            return true
        }
    }

    @Test func refusesATruncatedOrExtendedFile() throws {
        let bytes = try saved(try builtIndex().0)
        #expect(throws: NearestNeighborsError.truncated(needed: bytes.count, available: bytes.count - 100)) {
            try load(bytes.prefix(bytes.count - 100))
        }
        #expect(throws: NearestNeighborsError.badMagic) { try load(bytes.prefix(5) + Data("X".utf8)) }
        #expect(throws: NearestNeighborsError.invalidFile("3 bytes after the checksum")) { try load(bytes + Data([1, 2, 3])) }
    }

    @Test func refusesAFileWhoseContentChanged() throws {
        let bytes = try saved(try builtIndex().0)
        var flipped = bytes
        flipped[200] ^= 0x10
        #expect {
            try load(flipped)
        } throws: { error in
            guard case .checksumMismatch? = error as? NearestNeighborsError else { return false }
            return true
        }
    }

    @Test func refusesAnotherVersionOrAnUnknownMetric() throws {
        let bytes = try saved(try builtIndex().0)
        var version = bytes
        version[8] = 3
        #expect(throws: NearestNeighborsError.unsupportedVersion(3)) { try load(version) }
        var metric = bytes
        metric[12] = 9
        #expect(throws: NearestNeighborsError.unknownMetric(9)) { try load(metric) }
    }

    @Test func aVersionOneFileWithoutAHeadStillLoads() throws {
        let vectors = clusteredVectors(count: count, dimension: dimension, seed: 21)
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters(searchWidth: 30))
        var bytes = try saved(index)
        #expect(bytes[8] == 2)
        bytes[8] = 1
        let loaded = try load(resealed(bytes))
        #expect(loaded.parameters.headCount == 0)
        let query = row(vectors, 5, dimension: dimension)
        #expect(loaded.search(query, count: 10) == index.search(query, count: 10))
    }

    @Test func refusesAHeadItemOutsideTheIndex() throws {
        let bytes = try saved(try builtIndex().0)
        func aligned(_ offset: Int) -> Int { (offset + 63) / 64 * 64 }
        let upperLists = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 72, as: UInt64.self))) }
        let upperLinks = aligned(bottomLinksOffset() + count * (1 + 2 * 8) * 4)
        let headItems = aligned(upperLinks + upperLists * (1 + 8) * 4)
        var broken = bytes
        withUnsafeBytes(of: UInt32(count).littleEndian) { broken.replaceSubrange(headItems..<(headItems + 4), with: $0) }
        #expect(throws: NearestNeighborsError.invalidFile("head item \(count) is not an item of \(count)")) {
            try load(resealed(broken))
        }
    }

    @Test func refusesAConsistentlySealedFileWithABrokenGraph() throws {
        let bytes = try saved(try builtIndex().0)
        let list = bottomLinksOffset()
        var outOfRange = bytes
        withUnsafeBytes(of: UInt32(count).littleEndian) { outOfRange.replaceSubrange((list + 4)..<(list + 8), with: $0) }
        #expect(throws: NearestNeighborsError.invalidFile("item 0 links to \(count) on layer 0")) { try load(resealed(outOfRange)) }
        var tooLong = bytes
        withUnsafeBytes(of: UInt32(17).littleEndian) { tooLong.replaceSubrange(list..<(list + 4), with: $0) }
        #expect(throws: NearestNeighborsError.invalidFile("item 0 has 17 links on layer 0")) { try load(resealed(tooLong)) }
        var badParameters = bytes
        badParameters[32] = 1  // M = 1
        #expect {
            try load(resealed(badParameters))
        } throws: { error in
            guard case .invalidFile? = error as? NearestNeighborsError else { return false }
            return true
        }
    }
}
