import JSON

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
