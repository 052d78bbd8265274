/// Streams the fingerprint lines of docs/EVALUATION.md §7 into SHA-256 through a 64 KiB buffer: `<user>\t<item>\n`
/// per pair, or `<from>\t<to>\t<type>\n` per relation (§9).
struct PairHasher: ~Copyable {
    private var hasher = SHA256Hasher()
    private var buffer: [UInt8] = []

    init() {
        buffer.reserveCapacity(1 << 16)
    }

    /// Adds the line of one (user, item) pair.
    mutating func add(user: String, item: String) {
        append(user, then: UInt8(ascii: "\t"))
        append(item, then: UInt8(ascii: "\n"))
    }

    /// Adds the line of one relation.
    mutating func add(from: String, to: String, type: String) {
        append(from, then: UInt8(ascii: "\t"))
        append(to, then: UInt8(ascii: "\t"))
        append(type, then: UInt8(ascii: "\n"))
    }

    /// Lowercase hex SHA-256 of every line added.
    consuming func finish() -> String {
        hasher.update(buffer)
        return hasher.hexDigest()
    }

    private mutating func append(_ field: String, then separator: UInt8) {
        buffer.append(contentsOf: field.utf8)
        buffer.append(separator)
        if buffer.count >= 1 << 16 {
            hasher.update(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
