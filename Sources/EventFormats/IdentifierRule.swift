/// The rule every external id (user, item, event id) follows wherever it enters: `POST /events`, the path of a
/// ranking request, `exclude`, and `recsmith import`.
///
/// An id is 1 to `maxBytes` bytes of UTF-8 and
/// - holds no control character (C0 U+0000–U+001F, DEL U+007F, C1 U+0080–U+009F): a NUL can never be asked
///   about again (request targets cannot carry one), and the others corrupt logs, CSV exports and terminals;
/// - has at least one visible character: an id made only of whitespace (Unicode `White_Space`), format
///   characters (general category `Cf`, e.g. U+200B, U+FEFF, U+00AD) and default-ignorable code points prints
///   as nothing, so no one could tell it apart from an empty id or from another invisible one.
///
/// Ids are otherwise taken verbatim: no trimming, no normalisation, no case folding.
package enum IdentifierRule {
    /// Why an id breaks the rule.
    package enum Violation: Sendable, Hashable {
        /// The id is the empty string.
        case empty
        /// The id is longer than `limit` UTF-8 bytes.
        case tooLong(limit: Int)
        /// The id holds a control character (C0, DEL or C1), NUL included.
        case controlCharacter
        /// The id consists only of whitespace, format and default-ignorable characters.
        case invisible
    }

    /// The first rule `id` breaks, or nil when it is a valid id.
    ///
    /// Runs on every id of every event: one pass over the UTF-8 bytes, and Unicode properties only for an id
    /// with no visible ASCII character. (Concrete `String`, not `some StringProtocol`: a generic call from
    /// another module walks the bytes through witness tables, which cost 9k instructions per event.)
    package static func violation(of id: String, maxBytes: Int) -> Violation? {
        let scan = id.utf8.withContiguousStorageIfAvailable { scanBytes($0, maxBytes: maxBytes) }
            ?? Array(id.utf8).withUnsafeBufferPointer { scanBytes($0, maxBytes: maxBytes) }
        switch scan {
        case .violation(let violation): return violation
        case .visibleASCII: return nil
        case .needsUnicodeProperties: return id.unicodeScalars.contains(where: isVisible) ? nil : .invisible
        }
    }

    private enum ByteScan {
        case violation(Violation)
        case visibleASCII
        case needsUnicodeProperties
    }

    private static func scanBytes(_ utf8: UnsafeBufferPointer<UInt8>, maxBytes: Int) -> ByteScan {
        if utf8.isEmpty { return .violation(.empty) }
        if utf8.count > maxBytes { return .violation(.tooLong(limit: maxBytes)) }
        var sawVisibleASCII = false
        var previous: UInt8 = 0
        for byte in utf8 {
            // C0 and DEL are single bytes; C1 (U+0080–U+009F) is 0xC2 followed by 0x80–0x9F.
            if byte < 0x20 || byte == 0x7F || (previous == 0xC2 && byte < 0xA0 && byte >= 0x80) {
                return .violation(.controlCharacter)
            }
            if byte > 0x20, byte < 0x7F { sawVisibleASCII = true }
            previous = byte
        }
        return sawVisibleASCII ? .visibleASCII : .needsUnicodeProperties
    }

    /// True unless `scalar` is whitespace, a format character or a default-ignorable code point.
    package static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return !(properties.isWhitespace || properties.isDefaultIgnorableCodePoint || properties.generalCategory == .format)
    }

    /// A short description of `violation` for an error message about a field, e.g. `must not be empty`.
    package static func message(_ violation: Violation) -> String {
        switch violation {
        case .empty: "must not be empty"
        case .tooLong(let limit): "must be at most \(limit) bytes"
        case .controlCharacter: "must not contain control characters (U+0000–U+001F, U+007F–U+009F)"
        case .invisible: "must contain a visible character, not only whitespace, format or default-ignorable characters"
        }
    }
}
