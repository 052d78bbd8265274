/// Where a ``CSVReader`` gets its bytes: an open file, read chunk by chunk, or an array already in memory.
enum ByteSource {
    case file(descriptor: Int32, path: String)
    case memory(bytes: [UInt8], offset: Int)

    /// Appends up to `count` bytes to `buffer`; returns how many were appended (0 at the end of the input).
    mutating func read(into buffer: inout [UInt8], count: Int) throws(CSVError) -> Int {
        switch self {
        case let .file(descriptor, path):
            return try Self.readFile(descriptor: descriptor, path: path, into: &buffer, count: count)
        case .memory(let bytes, let offset):
            let taken = min(count, bytes.count - offset)
            buffer.append(contentsOf: bytes[offset..<offset + taken])
            self = .memory(bytes: bytes, offset: offset + taken)
            return taken
        }
    }

    /// Releases the file descriptor, if any.
    func close() {
        if case let .file(descriptor, _) = self {
            Self.closeFile(descriptor: descriptor)
        }
    }
}
