import EventStore
import HTTPServer

/// A dashboard request refused, as the contract's error JSON.
struct DashboardError: Error, HTTPResponseConvertible {
    let status: HTTPStatus
    let code: String
    let message: String
    var headers = HTTPHeaders()

    var response: HTTPResponse { .error(status, code: code, message: message, headers: headers) }

    static func badRequest(_ message: String, code: String = "bad_request") -> DashboardError {
        DashboardError(status: .badRequest, code: code, message: message)
    }

    /// `503 store_unavailable` with `Retry-After`, as a refused write gets: figures read from the database at
    /// request time cannot be given while it is unreachable (or busy); everything held in memory still answers.
    static func storeUnavailable(_ error: EventStoreError) -> DashboardError {
        let state = error.code == "store_unreachable" ? "is unreachable" : "cannot be read now"
        return DashboardError(status: .serviceUnavailable, code: "store_unavailable",
                              message: "the store \(state) (\(error.code)): these figures are read from it; retry later",
                              headers: HTTPHeaders([("retry-after", "1")]))
    }
}
