#if canImport(Glibc)
import Glibc
#endif

/// The secret that guards admin routes. Never logged; compared in constant time.
package struct AdminToken: Sendable {
    private let bytes: [UInt8]

    /// Wraps a configured token. Surrounding whitespace (a trailing newline from a file) is removed.
    package init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: " \t\r\n")
        guard !trimmed.isEmpty else { return nil }
        bytes = Array(trimmed.utf8)
    }

    /// Reads a token from a file; throws when it is missing or empty.
    package static func read(from path: String) throws(ConfigurationError) -> AdminToken {
        guard let text = try? readTextFile(path), let token = AdminToken(text) else {
            throw .invalid("cannot read a non-empty admin token from \(path)")
        }
        return token
    }

    /// Reads the token stored at `path`, or generates a random one and stores it there with mode 0600.
    /// - Returns: the token and whether it was generated now.
    package static func loadOrGenerate(at path: String) throws(ConfigurationError) -> (token: AdminToken, generated: Bool) {
        if let text = try? readTextFile(path), let token = AdminToken(text) { return (token, false) }
        // SystemRandomNumberGenerator is backed by getrandom(2) on Linux: cryptographically secure.
        var generator = SystemRandomNumberGenerator()
        let random = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = random.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .invalid("cannot write the admin token to \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let line = Array((text + "\n").utf8)
        guard write(fd, line, line.count) == line.count, fsync(fd) == 0 else {
            throw .invalid("cannot write the admin token to \(path): \(String(cString: strerror(errno)))")
        }
        return (AdminToken(text)!, true)
    }

    /// True when `presented` equals the token; the time taken does not depend on where they differ.
    package func matches(_ presented: some StringProtocol) -> Bool {
        let candidate = Array(presented.utf8)
        // The length is not secret; only the comparison of the bytes must not stop early.
        var difference: UInt8 = candidate.count == bytes.count ? 0 : 1
        for index in 0..<bytes.count {
            difference |= bytes[index] ^ (index < candidate.count ? candidate[index] : 0)
        }
        return difference == 0
    }

    /// Checks an `Authorization: Bearer <token>` header value.
    package func authorizes(header: String?) -> Bool {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        return matches(header.dropFirst(7).trimmingCharacters(in: " \t"))
    }
}

extension StringProtocol {
    /// Removes leading and trailing Unicode scalars that are in `set` (by scalar, so that "\r\n", one Character,
    /// is trimmed by a set holding "\r" and "\n"). Allocates at most the result.
    package func trimmingCharacters(in set: String) -> String {
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, set.unicodeScalars.contains(scalars[start]) { start = scalars.index(after: start) }
        while end > start, set.unicodeScalars.contains(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(String.UnicodeScalarView(scalars[start..<end]))
    }
}

/// Reads a whole (small) text file.
func readTextFile(_ path: String) throws(ConfigurationError) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .io("cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(fd, &chunk, chunk.count)
        if count < 0 { throw .io("cannot read \(path): \(String(cString: strerror(errno)))") }
        if count == 0 { break }
        bytes.append(contentsOf: chunk[0..<count])
        if bytes.count > 1 << 20 { throw .io("\(path) is larger than 1 MiB") }
    }
    return String(decoding: bytes, as: UTF8.self)
}
