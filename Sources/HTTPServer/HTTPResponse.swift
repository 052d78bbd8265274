/// A complete response: status, header fields and body bytes.
///
/// The server adds `Content-Length`, `Date` and `Connection` itself; handlers set the rest.
package struct HTTPResponse: Sendable {
    package var status: HTTPStatus
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from already-encoded UTF-8 bytes.
    package static func json(_ status: HTTPStatus, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "content-type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    /// The error shape every Recsmith failure uses:
    /// `{"error": {"code": "snake_case", "message": "…", "details": [...]}}`.
    ///
    /// `details` is a list of already-encoded JSON values.
    package static func error(
        _ status: HTTPStatus, code: String, message: String, details: [String] = [], headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var text = #"{"error":{"code":"#
        appendJSONString(code, to: &text)
        text += #","message":"#
        appendJSONString(message, to: &text)
        text += #","details":["#
        text += details.joined(separator: ",")
        text += "]}}"
        return .json(status, Array(text.utf8), headers: headers)
    }
}

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
