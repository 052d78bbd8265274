extension EventJSONParser {
    /// 10^0 … 10^22, each exactly representable as a Double.
    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses an RFC 8259 number. Values beyond `Double`'s range become ±infinity (validation rejects them).
    mutating func parseNumber() throws(EventDecodingError) -> Double {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var inexact = false
        guard let first = digitValue() else { throw error(.invalidNumber, at: start) }
        if first == 0 {
            position += 1
            if digitValue() != nil { throw error(.invalidNumber, at: start) }
        } else {
            while let digit = digitValue() {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    digits += 1
                } else {
                    inexact = true
                    exponent += 1
                }
                position += 1
            }
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard digitValue() != nil else { throw error(.invalidNumber, at: start) }
            while let digit = digitValue() {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(digit)
                    digits += 1
                    exponent -= 1
                } else {
                    inexact = true
                }
                position += 1
            }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            var exponentSign = 1
            if peek == UInt8(ascii: "+") {
                position += 1
            } else if peek == UInt8(ascii: "-") {
                exponentSign = -1
                position += 1
            }
            guard digitValue() != nil else { throw error(.invalidNumber, at: start) }
            var written = 0
            while let digit = digitValue() {
                if written < 1_000_000 { written = written * 10 + Int(digit) }
                position += 1
            }
            exponent += exponentSign * written
        }
        if !inexact, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            // Clinger's fast path: both operands are exact, so one IEEE operation rounds correctly.
            var value = Double(mantissa)
            value = exponent < 0 ? value / Self.exactPowersOfTen[-exponent] : value * Self.exactPowersOfTen[exponent]
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else { throw error(.invalidNumber, at: start) }
        return value
    }

    private func digitValue() -> UInt8? {
        guard position < end else { return nil }
        let digit = bytes[position] &- UInt8(ascii: "0")
        return digit < 10 ? digit : nil
    }
}
