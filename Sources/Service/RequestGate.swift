import Configuration
import HTTPServer
import Observability
import Serving
import Training

/// The checks every non-probe route passes before its handler, in a fixed order: credentials, then the rate limit.
///
/// 1. Credentials. The API key when one is configured (`Authorization: Bearer <key>` or `X-API-Key`), and on admin
///    routes the admin token in `Authorization` as well. A request without them is `401` whatever the rate: the
///    answer never depends on timing, so a client always learns that its credentials are wrong.
/// 2. The rate limit, per client: the API key when one is configured (every holder of the key shares it), else
///    the peer address (`X-Forwarded-For` is not trusted). Over the limit → `429` with `Retry-After`.
///
/// Guessing keys is rate limited separately: each request with wrong or missing credentials takes a token from
/// its address's *failure* bucket (same rate and burst as the limit). While that bucket is empty the address is
/// locked out: its requests get `401` with `Retry-After` and their credentials are not compared at all — a
/// right guess gets the same answer as a wrong one, so guessing goes no faster than the rate limit. Requests with
/// valid credentials never take from the failure bucket, so well-behaved clients are never locked out (unless
/// they share an address with a guesser).
struct RequestGate: Sendable {
    /// What a route needs.
    enum Access: Sendable {
        /// The API key, when one is configured.
        case api
        /// The admin token in `Authorization`, and the API key (in `X-API-Key`) when one is configured.
        case admin
    }

    /// The key non-admin routes require; nil means no key is needed.
    let apiKey: AdminToken?
    /// The token admin routes require.
    let adminToken: AdminToken?
    /// The per-client limiter; nil means no limit (and no lock-out).
    let limiter: RateLimiter?

    init(apiKey: AdminToken?, adminToken: AdminToken?, limiter: RateLimiter?) {
        self.apiKey = apiKey
        self.adminToken = adminToken
        self.limiter = limiter
    }

    init(configuration: ServiceConfiguration, adminToken: AdminToken) {
        self.init(apiKey: configuration.apiKey, adminToken: adminToken,
                  limiter: configuration.rateLimit.isEnabled ? RateLimiter(configuration: configuration.rateLimit) : nil)
    }

    /// True when routes of `access` need no check at all (they are then left unwrapped).
    func isOpen(for access: Access) -> Bool { access == .api && apiKey == nil && limiter == nil }

    /// Throws the 401 or 429 the request must get, or returns when it may proceed.
    func check(_ request: HTTPRequest, access: Access) throws(APIError) {
        let failures = "failed:" + request.remoteAddress
        if let limiter, case .limited(let seconds) = limiter.peek(failures) {
            throw Self.lockedOut(retryAfter: seconds)
        }
        if let refusal = credentialsRefusal(request, access: access) {
            // Counted whatever the verdict; the request that empties the bucket is still an ordinary 401.
            _ = limiter?.admit(failures)
            throw refusal
        }
        guard let limiter else { return }
        let client = apiKey != nil ? "key" : "address:" + request.remoteAddress
        if case .limited(let seconds) = limiter.admit(client) {
            var error = APIError(status: .tooManyRequests, code: "too_many_requests",
                                 message: "rate limit exceeded; retry after \(seconds) s")
            error.headers.add(name: "retry-after", value: String(seconds))
            throw error
        }
    }

    /// The 401 for missing or wrong credentials, or nil when they are valid. Every comparison is constant-time.
    private func credentialsRefusal(_ request: HTTPRequest, access: Access) -> APIError? {
        let authorization = request.headers["authorization"]
        if let apiKey {
            // Admin routes carry the admin token in `Authorization`, so the key goes in `X-API-Key` there.
            let keyIsValid = apiKey.authorizes(header: authorization) || request.headers["x-api-key"].map(apiKey.matches) == true
            if !keyIsValid {
                return Self.unauthorized("a valid API key is required (Authorization: Bearer <key> or X-API-Key: <key>)")
            }
        }
        if access == .admin, adminToken?.authorizes(header: authorization) != true {
            return Self.unauthorized("a valid admin bearer token is required")
        }
        return nil
    }

    private static func unauthorized(_ message: String) -> APIError {
        var error = APIError(status: .unauthorized, code: "unauthorized", message: message)
        error.headers.add(name: "www-authenticate", value: #"Bearer realm="recsmith""#)
        return error
    }

    private static func lockedOut(retryAfter seconds: Int) -> APIError {
        var error = unauthorized("too many requests with wrong credentials from this address; credentials are not "
            + "checked for \(seconds) s")
        error.headers.add(name: "retry-after", value: String(seconds))
        return error
    }
}
