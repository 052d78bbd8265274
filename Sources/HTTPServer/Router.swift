#if canImport(Glibc)
import Dispatch

/// An error that knows the HTTP response it should become (status, error code, message).
package protocol HTTPResponseConvertible: Error {
    var response: HTTPResponse { get }
}

/// Routes requests by method and path template (`/users/{user}/recommendations`) to handlers.
///
/// Path parameters are percent-decoded after the path is split on `/`, so `a%2Fb` is one segment.
/// `HEAD` is answered by the `GET` handler; `OPTIONS` lists the allowed methods (once the path's
/// `checkOptions` check, if any, passes); a known path with another method gets 405 with `Allow`; a method
/// the server does not know gets 501.
package struct Router: Sendable {
    /// A handler that computes its response synchronously.
    package typealias Handler = @Sendable (HTTPRequest) throws -> HTTPResponse
    /// A handler that answers later through the responder (e.g. after a database commit).
    package typealias DeferredHandler = @Sendable (HTTPRequest, HTTPResponder) -> Void

    /// Where a handler runs.
    package enum Execution: Sendable {
        /// On the I/O thread: for handlers that take microseconds.
        case inline
        /// On a Dispatch queue, so a slow handler never stalls the connections of its I/O thread.
        case queue(DispatchQueue)
    }

    private struct Route: Sendable {
        let method: String
        let template: String
        let segments: [Segment]
        let execution: Execution
        let handler: DeferredHandler
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// Methods answered 405 with `Allow` when a path does not route them; any other method is 501.
    private static let knownMethods: Set<String> = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "QUERY",
    ]

    /// Called with a record of each answered request, just before its response is written.
    package typealias Observer = @Sendable (RequestRecord) -> Void

    private var routes: [Route] = []
    /// Checks run before `OPTIONS` on a path is answered (see `checkOptions`).
    private var optionsChecks: [(segments: [Segment], check: @Sendable (HTTPRequest) throws -> Void)] = []
    /// Called with every error a handler throws that is not `HTTPResponseConvertible` (answered 500).
    private let onUnexpectedError: @Sendable (HTTPRequest, any Error) -> Void
    private let observer: Observer?

    package init(
        onUnexpectedError: @escaping @Sendable (HTTPRequest, any Error) -> Void = { _, _ in },
        observer: Observer? = nil
    ) {
        self.onUnexpectedError = onUnexpectedError
        self.observer = observer
    }

    /// Adds a route whose handler returns its response.
    package mutating func add(_ method: String, _ template: String, execution: Execution = .inline, _ handler: @escaping Handler) {
        let onUnexpectedError = onUnexpectedError
        addDeferred(method, template, execution: execution) { request, responder in
            responder.send(Self.run(handler, request, onUnexpectedError))
        }
    }

    /// Adds a route whose handler answers through the responder.
    package mutating func addDeferred(_ method: String, _ template: String, execution: Execution = .inline, _ handler: @escaping DeferredHandler) {
        routes.append(Route(method: method, template: template, segments: Self.segments(template), execution: execution, handler: handler))
    }

    /// Runs `check` (with the path parameters set) before `OPTIONS` on `template` is answered, so `OPTIONS` refuses
    /// what the path's other methods refuse (an over-long id): an `HTTPResponseConvertible` error it throws is the
    /// answer instead of `204`.
    package mutating func checkOptions(_ template: String, _ check: @escaping @Sendable (HTTPRequest) throws -> Void) {
        optionsChecks.append((Self.segments(template), check))
    }

    private static func segments(_ template: String) -> [Segment] {
        template.split(separator: "/").map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// The server handler: finds the route and runs it where it asked to run.
    package func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let start = ContinuousClock.now
        guard Self.knownMethods.contains(request.method) else {
            observe(responder, route: "unmatched", request: request, since: start)
            responder.send(.error(.notImplemented, code: "not_implemented", message: "method \(request.method) is not implemented"))
            return
        }
        if request.target == "*" {
            observe(responder, route: "*", request: request, since: start)
            responder.send(allowResponse(Set(routes.map(\.method))))
            return
        }
        let decodedSegments: [String]
        do {
            decodedSegments = try request.rawPath.split(byte: UInt8(ascii: "/")).map { try percentDecode($0) }
        } catch {
            observe(responder, route: "unmatched", request: request, since: start)
            responder.send(.error(.badRequest, code: "bad_request", message: "invalid percent-encoding in the path"))
            return
        }
        var allowed: Set<String> = []
        let lookupMethod = request.method == "HEAD" ? "GET" : request.method
        for route in routes {
            guard let parameters = match(route.segments, decodedSegments) else { continue }
            allowed.insert(route.method)
            guard route.method == lookupMethod else { continue }
            var parameterized = request
            parameterized.pathParameters = parameters
            let routed = parameterized
            observe(responder, route: route.template, request: request, since: start)
            switch route.execution {
            case .inline:
                route.handler(routed, responder)
            case .queue(let queue):
                queue.async { route.handler(routed, responder) }
            }
            return
        }
        observe(responder, route: "unmatched", request: request, since: start)
        if allowed.isEmpty {
            responder.send(.error(.notFound, code: "not_found", message: "no route for \(request.rawPath)"))
        } else if request.method == "OPTIONS" {
            responder.send(optionsResponse(request, decodedSegments, allowed: allowed))
        } else {
            var response = HTTPResponse.error(.methodNotAllowed, code: "method_not_allowed",
                                              message: "\(request.method) is not allowed here")
            response.headers.add(name: "allow", value: allowHeader(allowed))
            responder.send(response)
        }
    }

    private func observe(_ responder: HTTPResponder, route: String, request: HTTPRequest, since start: ContinuousClock.Instant) {
        guard let observer else { return }
        let method = request.method
        let target = request.target
        let remoteAddress = request.remoteAddress
        let requestBytes = request.body.count
        responder.observer = { response in
            observer(RequestRecord(route: route, method: method, target: target, remoteAddress: remoteAddress,
                                   status: response.status.code, requestBodyBytes: requestBytes,
                                   responseBodyBytes: response.body.count, duration: ContinuousClock.now - start))
        }
    }

    private static func run(_ handler: Handler, _ request: HTTPRequest, _ onUnexpectedError: @Sendable (HTTPRequest, any Error) -> Void) -> HTTPResponse {
        do {
            return try handler(request)
        } catch let error as any HTTPResponseConvertible {
            return error.response
        } catch {
            onUnexpectedError(request, error)
            return .error(.internalServerError, code: "internal_error", message: "the server failed to handle this request")
        }
    }

    /// The path parameters when `path` fits `template`. The literals are compared first, so a route that does not
    /// fit costs no dictionary (every request tries the routes registered before its own).
    private func match(_ template: [Segment], _ path: [String]) -> [String: String]? {
        guard template.count == path.count else { return nil }
        for (segment, value) in zip(template, path) {
            if case .literal(let literal) = segment, literal != value { return nil }
        }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(template, path) {
            if case .parameter(let name) = segment { parameters[name] = value }
        }
        return parameters
    }

    private func allowHeader(_ methods: Set<String>) -> String {
        var all = methods
        if all.contains("GET") { all.insert("HEAD") }
        all.insert("OPTIONS")
        return all.sorted().joined(separator: ", ")
    }

    /// `204` with `Allow`, unless a `checkOptions` check of the path refuses the request.
    private func optionsResponse(_ request: HTTPRequest, _ path: [String], allowed: Set<String>) -> HTTPResponse {
        for entry in optionsChecks {
            guard let parameters = match(entry.segments, path) else { continue }
            var parameterized = request
            parameterized.pathParameters = parameters
            do {
                try entry.check(parameterized)
            } catch let error as any HTTPResponseConvertible {
                return error.response
            } catch {
                onUnexpectedError(parameterized, error)
                return .error(.internalServerError, code: "internal_error", message: "the server failed to handle this request")
            }
        }
        return allowResponse(allowed)
    }

    private func allowResponse(_ methods: Set<String>) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "allow", value: allowHeader(methods))
        return HTTPResponse(status: .noContent, headers: headers)
    }
}

/// What the router reports about one answered request, for metrics and the access log.
package struct RequestRecord: Sendable {
    /// The route template (`/users/{user}/recommendations`), or `unmatched`.
    package let route: String
    /// The request method.
    package let method: String
    /// The request target as sent (path and query, percent-encoded).
    package let target: String
    /// The peer's IP address.
    package let remoteAddress: String
    /// The response status code.
    package let status: Int
    /// Bytes of the request body.
    package let requestBodyBytes: Int
    /// Bytes of the response body.
    package let responseBodyBytes: Int
    /// Time from dispatch to the response.
    package let duration: Duration

    /// The request path as sent, without the query.
    package var path: Substring { target[..<(target.firstIndex(of: "?") ?? target.endIndex)] }
}
#endif
