/// The earliest event time, in unix seconds: 0000-01-01T00:00:00+23:59, the earliest instant an RFC 3339
/// date-time can name (year 0000 with the largest offset east of UTC).
///
/// Every time RFC 3339 can write is accepted, and unix seconds down to the same instant, so whatever one form
/// accepts the other accepts too: exports write unix seconds and must import again. Negative unix seconds are
/// times before 1970.
package let earliestTimestamp: Double = -62_167_305_540

/// Parses an event timestamp into unix seconds.
///
/// Accepted forms, after trimming ASCII whitespace on both sides:
/// - a plain decimal number matching `^[+-]?(\d+(\.\d*)?|\.\d+)$`, taken as unix seconds and converted to
///   float64 with correct rounding (no exponent, no `inf`/`nan`, no hex);
/// - an RFC 3339 date-time with an offset (`Z`, `z` or `±hh:mm`), e.g. `2026-11-22T10:00:00.25+01:00`.
///   The date/time separator may be `T`, `t` or a space (RFC 3339 §5.6 note). Fractions keep microsecond
///   precision (further digits are truncated, as Python's `datetime` does); the result is the exact count of
///   microseconds since the epoch divided by 10⁶, correctly rounded. A leap second (`:60`) is rejected because
///   unix time cannot represent it.
///
/// Returns nil for anything else or for a non-finite value. Never consults the locale.
package func parseTimestamp(_ text: some StringProtocol) -> Double? {
    if let result = text.utf8.withContiguousStorageIfAvailable({ parseTimestamp(utf8: $0) }) {
        return result
    }
    return Array(text.utf8).withUnsafeBufferPointer { parseTimestamp(utf8: $0) }
}

/// Parses an event timestamp given as UTF-8 bytes; same rules as ``parseTimestamp(_:)``.
package func parseTimestamp(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Double? {
    var start = bytes.startIndex
    var end = bytes.endIndex
    while start < end, isASCIIWhitespace(bytes[start]) { start += 1 }
    while end > start, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
    guard start < end else { return nil }
    let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
    if let value = DecimalSeconds.parse(trimmed) {
        return value.isFinite ? value : nil
    }
    return RFC3339.parse(trimmed)
}

@inline(__always)
func isASCIIWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
}

@inline(__always)
func isASCIIDigit(_ byte: UInt8) -> Bool {
    byte &- 0x30 < 10
}

/// The latest instant an RFC 3339 date-time can name, in unix seconds: 9999-12-31T23:59:59.999999-23:59 (year
/// 9999 with the largest offset west of UTC), the counterpart of ``earliestTimestamp``.
package let latestTimestamp: Double = 253_402_387_139.999_999

/// Unix seconds as an RFC 3339 date-time (`2026-11-22T10:00:00Z`), with a fraction of up to six digits (trailing
/// zeros dropped) when the time has one; it parses back to the same microsecond. UTC (`Z`) whenever the instant
/// falls in the years 0000 to 9999 there; an instant between ``earliestTimestamp`` and 0000-01-01T00:00:00Z is
/// written with the offset `+23:59`, one between 9999-12-31T23:59:59.999999Z and ``latestTimestamp`` with
/// `-23:59`, so every time RFC 3339 can write comes back as the same instant. Times beyond them are clamped.
package func formatTimestamp(_ seconds: Double) -> String {
    let earliest = Int(earliestTimestamp) * 1_000_000
    let latest = 253_402_387_139_999_999
    let widestOffset = 86_340_000_000  // 23:59 in microseconds
    let clamped = min(max(seconds, earliestTimestamp), latestTimestamp)
    // Whole seconds and the fraction apart: after 2255 an instant's product with 10⁶ is past 2⁵³ and would round.
    let wholeSeconds = clamped.rounded(.down)
    let instant = min(max(Int(wholeSeconds) * 1_000_000 + Int(((clamped - wholeSeconds) * 1_000_000).rounded()), earliest), latest)
    let (offset, suffix) = instant < earliest + widestOffset ? (widestOffset, "+23:59")
        : instant > latest - widestOffset ? (-widestOffset, "-23:59") : (0, "Z")
    let microseconds = instant + offset
    let whole = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
    let fraction = microseconds - whole * 1_000_000
    let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
    let secondOfDay = whole - days * 86_400
    let (year, month, day) = RFC3339.civilFromDays(days)
    func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    var text = "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T\(padded(secondOfDay / 3600, 2)):"
        + "\(padded(secondOfDay / 60 % 60, 2)):\(padded(secondOfDay % 60, 2))"
    if fraction != 0 {
        var digits = padded(fraction, 6)
        while digits.last == "0" { digits.removeLast() }
        text += "." + digits
    }
    return text + suffix
}
