#if canImport(Glibc)
import Glibc
#endif

/// An id compared and hashed by its exact UTF-8 bytes. Swift's `String ==` treats canonically equivalent
/// strings (precomposed "é" and "e" + U+0301) as equal; the protocol's ids are opaque byte strings, so they
/// must stay distinct.
struct ExactID: Hashable {
    let text: String

    static func == (lhs: ExactID, rhs: ExactID) -> Bool {
        var left = lhs.text, right = rhs.text
        return left.withUTF8 { leftBytes in
            right.withUTF8 { rightBytes in
                leftBytes.count == rightBytes.count
                    && (leftBytes.isEmpty || memcmp(leftBytes.baseAddress!, rightBytes.baseAddress!, leftBytes.count) == 0)
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
