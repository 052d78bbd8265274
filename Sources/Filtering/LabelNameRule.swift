/// The rule a label name follows, in filters (`labels.NAME`) and in item records: 1 to ``maxLength`` ASCII
/// letters, digits, `_` and `-`. Names are case-sensitive.
package enum LabelNameRule {
    /// The longest name, in characters (all of them one byte).
    package static let maxLength = 64

    /// The rule in words, for error messages.
    package static let summary = "1 to 64 characters of A-Z, a-z, 0-9, _ and -"

    /// True when `name` is a valid label name.
    package static func isValid(_ name: String) -> Bool {
        var length = 0
        for byte in name.utf8 {
            guard isNameByte(byte) else { return false }
            length += 1
        }
        return (1...maxLength).contains(length)
    }

    /// True for the bytes a name may hold: `[A-Za-z0-9_-]`.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
