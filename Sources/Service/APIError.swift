import Configuration
import HTTPServer
import Observability
import Serving
import Training

/// A request the API refuses, mapped to the contract's error JSON.
struct APIError: Error, HTTPResponseConvertible {
    let status: HTTPStatus
    let code: String
    let message: String
    var details: [String] = []
    var headers = HTTPHeaders()

    var response: HTTPResponse {
        .error(status, code: code, message: message, details: details, headers: headers)
    }

    static func badRequest(_ message: String, code: String = "bad_request") -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }
}
