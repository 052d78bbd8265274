import HTTPServer

/// The checks every non-probe route passes first: the optional API key, then the per-client rate limit.
///
/// The rate limit is checked before the key so that guessing keys is rate limited too. A client is its API key
/// when it presented the valid one, else its peer address (`X-Forwarded-For` is not trusted).
struct RequestGate: Sendable {
    /// The key non-admin routes require; nil means no key is needed.
    let apiKey: AdminToken?
    /// The per-client limiter; nil means no limit.
    let limiter: RateLimiter?

    init(apiKey: AdminToken?, limiter: RateLimiter?) {
        self.apiKey = apiKey
        self.limiter = limiter
    }

    init(configuration: ServiceConfiguration) {
        self.init(apiKey: configuration.apiKey,
                  limiter: configuration.rateLimit.isEnabled ? RateLimiter(configuration: configuration.rateLimit) : nil)
    }

    /// True when neither a key nor a limit is configured (routes are then left unwrapped).
    var isOpen: Bool { apiKey == nil && limiter == nil }

    /// Throws the 429 or 401 the request must get, or returns when it may proceed.
    func check(_ request: HTTPRequest) throws(APIError) {
        let keyIsValid = apiKey.map { key in
            // Both forms are compared (in constant time) so admin routes can carry the admin token in
            // `Authorization` and the API key in `X-API-Key`.
            key.authorizes(header: request.headers["authorization"]) || request.headers["x-api-key"].map(key.matches) == true
        } ?? false
        if let limiter {
            let client = keyIsValid ? "key" : "address:" + request.remoteAddress
            if case .limited(let seconds) = limiter.admit(client) {
                var error = APIError(status: .tooManyRequests, code: "too_many_requests",
                                     message: "rate limit exceeded; retry after \(seconds) s")
                error.headers.add(name: "retry-after", value: String(seconds))
                throw error
            }
        }
        if apiKey != nil, !keyIsValid {
            var error = APIError(status: .unauthorized, code: "unauthorized",
                                 message: "a valid API key is required (Authorization: Bearer <key> or X-API-Key: <key>)")
            error.headers.add(name: "www-authenticate", value: #"Bearer realm="recsmith""#)
            throw error
        }
    }
}
