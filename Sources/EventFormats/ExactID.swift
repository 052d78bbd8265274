#if canImport(Glibc)
import Glibc
#endif

/// An id compared and hashed by its exact UTF-8 bytes. Swift's `String ==` treats canonically equivalent
/// strings (precomposed "é" and "e" + U+0301) as equal; ids are opaque byte strings (SQLite's UNIQUE and the
/// evaluation protocol compare bytes), so they must stay distinct.
package struct ExactID: Hashable, Sendable {
    /// The id.
    package let text: String

    /// Wraps `text`.
    package init(_ text: String) {
        self.text = text
    }

    package static func == (lhs: ExactID, rhs: ExactID) -> Bool {
        var left = lhs.text, right = rhs.text
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                leftBytes.count == rightBytes.count
                    && (leftBytes.isEmpty || memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, leftBytes.count) == 0)
            }
        }
    }

    package func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
