/// Appends `value` as a JSON string literal (quotes included) to `text`.
package func appendJSONString(_ value: String, to text: inout String) {
    text.append("\"")
    var needsEscaping = false
    for byte in value.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        needsEscaping = true
        break
    }
    if !needsEscaping {
        text.append(value)
    } else {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text.append("\\\"")
            case "\\": text.append("\\\\")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            case "\t": text.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
    text.append("\"")
}
