/// Escapes text for HTML and SVG alike, in element content and in quoted attribute values: `&`, `<`, `>`, `"` and
/// `'` become character references, so user-supplied names, paths and command lines are shown, never parsed.
package func escapeMarkup(_ text: some StringProtocol) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text.unicodeScalars {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&#39;"
        default: escaped.unicodeScalars.append(character)
        }
    }
    return escaped
}
