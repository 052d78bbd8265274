/// The plain-decimal timestamp form `^[+-]?(\d+(\.\d*)?|\.\d+)$`, converted with correct rounding.
enum DecimalSeconds {
    /// 10^0 … 10^22: every one is exactly representable as a Double.
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The value of `bytes` (already trimmed), or nil when they are not a plain decimal.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = bytes.startIndex
        var negative = false
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var exact = true
        var integerDigits = 0
        while index < bytes.endIndex, isASCIIDigit(bytes[index]) {
            accumulate(bytes[index], into: &mantissa, exact: &exact)
            integerDigits += 1
            index += 1
        }
        var fractionDigits = 0
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.endIndex, isASCIIDigit(bytes[index]) {
                accumulate(bytes[index], into: &mantissa, exact: &exact)
                fractionDigits += 1
                index += 1
            }
        }
        guard index == bytes.endIndex, integerDigits + fractionDigits > 0 else { return nil }

        // Clinger's fast path: an integer below 2^53 divided by an exact power of ten is one correctly
        // rounded IEEE division. Everything else goes to the standard library's correctly rounded parser.
        if exact, fractionDigits < powersOfTen.count {
            let magnitude = Double(mantissa) / powersOfTen[fractionDigits]
            return negative ? -magnitude : magnitude
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    @inline(__always)
    private static func accumulate(_ digit: UInt8, into mantissa: inout UInt64, exact: inout Bool) {
        guard exact else { return }
        mantissa = mantissa * 10 + UInt64(digit &- 0x30)
        if mantissa > 1 << 53 { exact = false }
    }
}
