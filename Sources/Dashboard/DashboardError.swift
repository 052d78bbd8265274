import HTTPServer

/// A dashboard request refused, as the contract's error JSON.
struct DashboardError: Error, HTTPResponseConvertible {
    let status: HTTPStatus
    let code: String
    let message: String

    var response: HTTPResponse { .error(status, code: code, message: message) }

    static func badRequest(_ message: String, code: String = "bad_request") -> DashboardError {
        DashboardError(status: .badRequest, code: code, message: message)
    }
}
