/// Formats a float64 as a plain decimal (`-?digits[.digits]`, never an exponent) that parses back to the
/// same value: the shortest round-trip digits of Swift's `description`, with the exponent expanded.
enum PlainDecimal {
    static func format(_ value: Double) -> String {
        precondition(value.isFinite, "only finite values have a plain decimal form")
        if value == value.rounded(), value.magnitude < 1e18 {
            return String(Int64(value))
        }
        let text = value.description
        guard let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let exponent = Int(text[text.index(after: exponentIndex)...])!
        var mantissa = text[..<exponentIndex]
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa = mantissa.dropFirst() }
        let pointOffset = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count
        var digits = Array(mantissa.filter { $0 != "." })
        var point = pointOffset + exponent
        if point <= 0 {
            digits.insert(contentsOf: repeatElement("0", count: 1 - point), at: 0)
            point = 1
        } else if point > digits.count {
            digits.append(contentsOf: repeatElement("0", count: point - digits.count))
        }
        var result = (negative ? "-" : "") + String(digits[..<point])
        let fraction = String(digits[point...])
        if !fraction.isEmpty, fraction.contains(where: { $0 != "0" }) {
            result += "." + fraction
        }
        return result
    }
}
