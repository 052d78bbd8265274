import Foundation

/// `value` with exactly `decimals` digits after the point (`-0` printed as `0`), in the POSIX locale.
package func formatNumber(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
    let text = String(format: "%.\(decimals)f", locale: Locale(identifier: "en_US_POSIX"), value)
    return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text
}

/// `value` with `significant` significant digits but no exponent, for table cells (0.02153, 12.4, 1375).
package func formatSignificant(_ value: Double, significant: Int = 4) -> String {
    guard value.isFinite, value != 0 else { return formatNumber(value, decimals: 0) }
    let magnitude = Int(log10(abs(value)).rounded(.down))
    return formatNumber(value, decimals: max(0, significant - 1 - magnitude))
}

/// `mean ± sd` of `values` with `decimals` digits each, the sample standard deviation (n − 1); the mean alone for
/// a single value, "–" for none.
package func formatMeanSD(_ values: [Double], decimals: Int) -> String {
    guard !values.isEmpty else { return "–" }
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count > 1 else { return formatNumber(mean, decimals: decimals) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return "\(formatNumber(mean, decimals: decimals)) ± \(formatNumber(variance.squareRoot(), decimals: decimals))"
}
