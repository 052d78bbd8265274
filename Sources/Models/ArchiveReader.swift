/// Reads little-endian values from a byte range with bounds checks; running past the end throws.
struct ArchiveReader {
    private let bytes: [UInt8]
    private(set) var position: Int
    let end: Int

    init(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }

    private mutating func take(_ count: Int) throws(ModelArchiveError) -> Int {
        guard count >= 0, count <= remaining else {
            throw .invalidPayload("needs \(count) more bytes at offset \(position), \(remaining) left")
        }
        let start = position
        position += count
        return start
    }

    mutating func read(_: UInt8.Type) throws(ModelArchiveError) -> UInt8 {
        bytes[try take(1)]
    }

    mutating func read<Value: FixedWidthInteger>(_: Value.Type) throws(ModelArchiveError) -> Value {
        let start = try take(MemoryLayout<Value>.size)
        return bytes.withUnsafeBytes { raw in
            Value(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: Value.self))
        }
    }

    mutating func read(_: Float.Type) throws(ModelArchiveError) -> Float {
        Float(bitPattern: try read(UInt32.self))
    }

    mutating func read(_: Double.Type) throws(ModelArchiveError) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    /// A count stored as UInt64, checked to fit in `Int` and to be at most `limit`.
    mutating func readCount(limit: Int, what: String) throws(ModelArchiveError) -> Int {
        let value = try read(UInt64.self)
        guard value <= UInt64(limit) else { throw .invalidPayload("\(what) \(value) exceeds \(limit)") }
        return Int(value)
    }

    /// A string stored as a u32 byte count and its UTF-8 bytes; invalid UTF-8 throws.
    mutating func readString() throws(ModelArchiveError) -> String {
        let length = Int(try read(UInt32.self))
        let start = try take(length)
        guard let string = String(validating: bytes[start..<start + length], as: UTF8.self) else {
            throw .invalidPayload("string at offset \(start) is not valid UTF-8")
        }
        return string
    }

    /// Strings written by `ArchiveWriter.write(_: [String])`: between 1 and `limit` of them, else `what` is named.
    mutating func readStrings(limit: Int, what: String) throws(ModelArchiveError) -> [String] {
        let count = Int(try read(UInt32.self))
        guard count >= 1, count <= limit else { throw .invalidPayload("\(what) count \(count)") }
        var strings: [String] = []
        for _ in 0..<count { strings.append(try readString()) }
        return strings
    }

    mutating func readFloats(_ count: Int) throws(ModelArchiveError) -> [Float] {
        try readArray(count) { reader throws(ModelArchiveError) in try reader.read(Float.self) }
    }

    mutating func readInt32s(_ count: Int) throws(ModelArchiveError) -> [Int32] {
        try readArray(count) { reader throws(ModelArchiveError) in try reader.read(Int32.self) }
    }

    /// `count` little-endian 4-byte values: one copy on little-endian machines, value by value otherwise.
    private mutating func readArray<Element: BitwiseCopyable>(
        _ count: Int, readOne: (inout ArchiveReader) throws(ModelArchiveError) -> Element
    ) throws(ModelArchiveError) -> [Element] {
        let start = try take(try byteCount(count, elementSize: MemoryLayout<Element>.size))
        #if _endian(little)
            return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
                bytes.withUnsafeBytes { raw in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(
                        from: UnsafeRawBufferPointer(rebasing: raw[start..<start + count * MemoryLayout<Element>.size]))
                }
                initialized = count
            }
        #else
            position = start
            var values: [Element] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readOne(&self)) }
            return values
        #endif
    }

    private func byteCount(_ count: Int, elementSize: Int) throws(ModelArchiveError) -> Int {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard count >= 0, !overflow else { throw .invalidPayload("array of \(count) elements is too large") }
        return bytes
    }
}
