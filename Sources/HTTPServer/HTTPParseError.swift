/// A request the server refuses to parse, with the status and error code to answer it with.
///
/// After a parse error the connection is always closed: the byte stream can no longer be trusted.
package struct HTTPParseError: Error, Sendable, Equatable {
    package let status: HTTPStatus
    package let code: String
    package let message: String

    package init(_ status: HTTPStatus, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func bad(_ message: String) -> HTTPParseError {
        HTTPParseError(.badRequest, code: "bad_request", message)
    }
}
