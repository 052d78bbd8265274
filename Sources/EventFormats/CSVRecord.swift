/// One CSV record: its unescaped fields, stored back to back as UTF-8 bytes.
package struct CSVRecord: Sendable, Equatable {
    /// The physical line (1-based) on which the record starts.
    package let line: Int
    /// Field contents, concatenated, with quotes removed and `""` unescaped.
    let storage: [UInt8]
    /// End offset in `storage` of each field.
    let ends: [Int]

    init(line: Int, storage: [UInt8], ends: [Int]) {
        self.line = line
        self.storage = storage
        self.ends = ends
    }

    /// Number of fields.
    package var count: Int { ends.count }

    /// The field at `index` as a string; bytes that are not valid UTF-8 become U+FFFD.
    package subscript(index: Int) -> String {
        withUTF8(at: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// The field at `index` as a string, or nil when its bytes are not valid UTF-8.
    package func validatedString(at index: Int) -> String? {
        withUTF8(at: index) { String(validating: $0, as: UTF8.self) }
    }

    /// All fields as strings.
    package var fields: [String] {
        (0..<count).map { self[$0] }
    }

    /// Calls `body` with the raw bytes of the field at `index`, without copying them.
    package func withUTF8<Result>(
        at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        precondition(index >= 0 && index < ends.count, "field index \(index) out of range 0..<\(ends.count)")
        let start = index == 0 ? 0 : ends[index - 1]
        return try storage.withUnsafeBufferPointer { buffer in
            try body(UnsafeBufferPointer(rebasing: buffer[start..<ends[index]]))
        }
    }
}
