/// RFC 3339 `date-time` (with a mandatory offset) to unix seconds, without Foundation or the locale.
package enum RFC3339 {
    /// Unix seconds for `bytes` (already trimmed), or nil when they are not a valid RFC 3339 date-time.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var cursor = Cursor(bytes: bytes)
        guard let year = cursor.digits(4), cursor.skip("-"),
              let month = cursor.digits(2), cursor.skip("-"),
              let day = cursor.digits(2),
              cursor.skipSeparator(),
              let hour = cursor.digits(2), cursor.skip(":"),
              let minute = cursor.digits(2), cursor.skip(":"),
              let second = cursor.digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(month, year: year),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }

        var microseconds = 0
        if cursor.skip(".") {
            guard let fraction = cursor.fractionMicroseconds() else { return nil }
            microseconds = fraction
        }
        guard let offsetSeconds = cursor.offsetSeconds(), cursor.atEnd else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        return microsecondsToSeconds(seconds * 1_000_000 + microseconds)
    }

    /// Unix `seconds`, rounded down to a whole second, as `YYYY-MM-DDTHH:MM:SSZ` (UTC): the form every answer of the
    /// API gives times in.
    package static func format(_ seconds: Double) -> String {
        // Beyond ±10¹⁵ s (thirty million years) the calendar arithmetic would overflow; no stored time gets there.
        let whole = Int(max(min(seconds, 1e15), -1e15).rounded(.down))
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let rest = whole - days * 86_400
        return date(days: days) + "T" + padded(rest / 3_600, 2) + ":" + padded(rest % 3_600 / 60, 2) + ":"
            + padded(rest % 60, 2) + "Z"
    }

    /// A count of days since 1970-01-01 as `YYYY-MM-DD`.
    package static func date(days: Int) -> String {
        let (year, month, day) = civilFromDays(days)
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `microseconds / 10⁶` correctly rounded, as Python's `timedelta.total_seconds()` computes it.
    static func microsecondsToSeconds(_ microseconds: Int) -> Double {
        if microseconds.magnitude <= 1 << 53 {
            return Double(microseconds) / 1_000_000  // both operands exact: one correctly rounded division
        }
        // Beyond 2^53 µs (after the year 2255) converting to Double first would round twice; the decimal
        // text of the exact quotient goes through the standard library's correctly rounded parser instead.
        let digits = String(microseconds.magnitude)
        let split = digits.index(digits.endIndex, offsetBy: -6)
        let text = (microseconds < 0 ? "-" : "") + digits[..<split] + "." + digits[split...]
        return Double(text)!
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `(year, month, day)` of a count of days since 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A forward reader over the bytes of one timestamp.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            self.index = bytes.startIndex
        }

        var atEnd: Bool { index == bytes.endIndex }

        /// Exactly `count` ASCII digits as a number.
        mutating func digits(_ count: Int) -> Int? {
            guard bytes.endIndex - index >= count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard isASCIIDigit(byte) else { return nil }
                value = value * 10 + Int(byte &- 0x30)
            }
            index += count
            return value
        }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// `T`, `t` or a space between the date and the time.
        mutating func skipSeparator() -> Bool {
            skip("T") || skip("t") || skip(" ")
        }

        /// One or more digits after the decimal point, as microseconds; digits past the sixth are truncated.
        mutating func fractionMicroseconds() -> Int? {
            var value = 0
            var count = 0
            while index < bytes.endIndex, isASCIIDigit(bytes[index]) {
                if count < 6 { value = value * 10 + Int(bytes[index] &- 0x30) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in min(count, 6)..<6 { value *= 10 }
            return value
        }

        /// `Z`, `z` or `±hh:mm` as seconds east of UTC.
        mutating func offsetSeconds() -> Int? {
            if skip("Z") || skip("z") { return 0 }
            let sign: Int
            if skip("+") {
                sign = 1
            } else if skip("-") {
                sign = -1
            } else {
                return nil
            }
            guard let hours = digits(2), skip(":"), let minutes = digits(2), hours <= 23, minutes <= 59 else {
                return nil
            }
            return sign * (hours * 3_600 + minutes * 60)
        }
    }
}
