/// The first 128 bytes of an index image (integers little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `RSHNSW\0\0` |
/// | 8 | 4 | format version (2; version 1 had no head and zero in its place) |
/// | 12 | 1 | metric code (`VectorMetric.rawValue`) |
/// | 13 | 3 | zero |
/// | 16 | 8 | item count |
/// | 24 | 8 | dimension |
/// | 32 | 4 | M (`neighbours`) |
/// | 36 | 4 | construction width |
/// | 40 | 4 | search width |
/// | 44 | 4 | top layer |
/// | 48 | 8 | seed |
/// | 56 | 8 | fallback fraction (float64 bits) |
/// | 64 | 8 | entry point (the item on the top layer where searches start) |
/// | 72 | 8 | upper-layer lists |
/// | 80 | 8 | image bytes, checksum included |
/// | 88 | 8 | head items (`HNSWParameters.headCount` as built: at most the item count, 0 for cosine) |
/// | 96 | 32 | zero |
struct HNSWHeader: Equatable {
    static let magic: [UInt8] = Array("RSHNSW\0\0".utf8)
    /// The format version this build writes; it reads this one and every earlier one.
    static let formatVersion: UInt32 = 2
    /// Bounds that keep every offset computation far from overflow.
    static let maximumDimension = 65_536
    static let maximumLevel = 63

    var metric: VectorMetric
    var count: Int
    var dimension: Int
    var parameters: HNSWParameters
    var topLevel: Int
    var entryPoint: Int
    var upperListCount: Int
    var byteCount: Int

    /// The image layout the header describes.
    var layout: HNSWLayout {
        HNSWLayout(
            count: count, dimension: dimension, neighbours: parameters.neighbours, upperListCount: upperListCount,
            headCount: parameters.headCount)
    }

    /// Writes the header into the first 128 bytes at `base`.
    func write(to base: UnsafeMutableRawPointer) {
        var offset = 0
        func put<Value: FixedWidthInteger>(_ value: Value) {
            base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: Value.self)
            offset += MemoryLayout<Value>.size
        }
        for byte in Self.magic { put(byte) }
        put(Self.formatVersion)
        put(metric.rawValue)
        for _ in 0..<3 { put(UInt8(0)) }
        put(UInt64(count))
        put(UInt64(dimension))
        put(UInt32(parameters.neighbours))
        put(UInt32(parameters.constructionWidth))
        put(UInt32(parameters.searchWidth))
        put(UInt32(topLevel))
        put(parameters.seed)
        put(parameters.fallbackFraction.bitPattern)
        put(UInt64(entryPoint))
        put(UInt64(upperListCount))
        put(UInt64(byteCount))
        put(UInt64(parameters.headCount))
        while offset < HNSWLayout.headerSize { put(UInt8(0)) }
    }

    /// Reads and checks the header of an image of `available` bytes at `base`: every field in range and the
    /// layout's size equal to the header's and to `available`. The checksum and the sections are not read.
    static func read(from base: UnsafeRawPointer, available: Int) throws(NearestNeighborsError) -> HNSWHeader {
        let minimum = HNSWLayout.headerSize + 8
        guard available >= minimum else {
            let prefix = UnsafeRawBufferPointer(start: base, count: min(available, magic.count))
            if !magic.starts(with: prefix) { throw .badMagic }
            throw .truncated(needed: minimum, available: available)
        }
        var offset = 0
        func take<Value: FixedWidthInteger>(_: Value.Type) -> Value {
            defer { offset += MemoryLayout<Value>.size }
            return Value(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Value.self))
        }
        for byte in magic where take(UInt8.self) != byte { throw .badMagic }
        let version = take(UInt32.self)
        guard (1...formatVersion).contains(version) else { throw .unsupportedVersion(version) }
        let metricCode = take(UInt8.self)
        guard let metric = VectorMetric(rawValue: metricCode) else { throw .unknownMetric(metricCode) }
        for _ in 0..<3 where take(UInt8.self) != 0 { throw .invalidFile("reserved header bytes are not zero") }
        let count = take(UInt64.self)
        let dimension = take(UInt64.self)
        let neighbours = take(UInt32.self)
        let constructionWidth = take(UInt32.self)
        let searchWidth = take(UInt32.self)
        let topLevel = take(UInt32.self)
        let seed = take(UInt64.self)
        let fallbackFraction = Double(bitPattern: take(UInt64.self))
        let entryPoint = take(UInt64.self)
        let upperListCount = take(UInt64.self)
        let byteCount = take(UInt64.self)
        let headCount = take(UInt64.self)
        while offset < HNSWLayout.headerSize {
            guard take(UInt8.self) == 0 else { throw .invalidFile("reserved header bytes are not zero") }
        }
        guard count <= UInt64(Int32.max) else { throw .invalidFile("item count \(count) exceeds \(Int32.max)") }
        guard dimension >= 1, dimension <= UInt64(maximumDimension) else {
            throw .invalidFile("dimension \(dimension) is outside 1…\(maximumDimension)")
        }
        guard topLevel <= UInt32(maximumLevel) else { throw .invalidFile("top layer \(topLevel) exceeds \(maximumLevel)") }
        guard upperListCount <= count * UInt64(maximumLevel) else {
            throw .invalidFile("\(upperListCount) upper-layer lists for \(count) items")
        }
        guard headCount <= count else { throw .invalidFile("a head of \(headCount) items among \(count)") }
        guard headCount == 0 || metric == .innerProduct else { throw .invalidFile("a head in a \(metric) index") }
        guard count == 0 ? entryPoint == 0 : entryPoint < count else {
            throw .invalidFile("entry point \(entryPoint) is not an item of \(count)")
        }
        let parameters = HNSWParameters(
            neighbours: Int(neighbours), constructionWidth: Int(constructionWidth), searchWidth: Int(searchWidth),
            fallbackFraction: fallbackFraction, headCount: Int(headCount), seed: seed)
        do {
            try parameters.validate()
        } catch {
            throw .invalidFile("stored parameters: \(error)")
        }
        let header = HNSWHeader(
            metric: metric, count: Int(count), dimension: Int(dimension), parameters: parameters, topLevel: Int(topLevel),
            entryPoint: Int(entryPoint), upperListCount: Int(upperListCount), byteCount: byteCount > UInt64(Int.max) ? Int.max : Int(byteCount))
        let expected = header.layout.byteCount
        guard header.byteCount == expected else {
            throw .invalidFile("header says \(byteCount) bytes, its layout needs \(expected)")
        }
        guard available >= expected else { throw .truncated(needed: expected, available: available) }
        guard available == expected else { throw .invalidFile("\(available - expected) bytes after the checksum") }
        return header
    }
}
