/// A request the server refuses to parse, with the status and error code to answer it with.
///
/// After a parse error the connection is always closed: the byte stream can no longer be trusted.
public struct HTTPParseError: Error, Sendable, Equatable {
    public let status: HTTPStatus
    public let code: String
    public let message: String

    public init(_ status: HTTPStatus, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    static func bad(_ message: String) -> HTTPParseError {
        HTTPParseError(.badRequest, code: "bad_request", message)
    }
}
