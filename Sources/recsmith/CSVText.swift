import Foundation

/// RFC 4180: `text` as one CSV field, quoted (inner quotes doubled) when it holds a comma, a quote, CR or LF.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
