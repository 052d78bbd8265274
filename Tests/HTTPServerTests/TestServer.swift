import Dispatch
import Glibc
@testable import HTTPServer
import TestSupport

/// Starts a server on an ephemeral loopback port with a small echo router, for the tests.
func startTestServer(
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    onConnectionFailure: @escaping @Sendable (ConnectionFailure) -> Void = { _ in }
) throws -> HTTPServer {
    var configuration = HTTPServerConfiguration.ephemeral
    configuration.ioThreads = 2
    configure(&configuration)
    var router = Router()
    router.add("GET", "/hello") { _ in
        HTTPResponse(status: .ok, headers: HTTPHeaders([("content-type", "text/plain")]), body: Array("hello".utf8))
    }
    router.add("GET", "/users/{user}/echo") { request in
        let query = try request.queryItems().map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return HTTPResponse(status: .ok, body: Array("\(request.pathParameters["user"] ?? "")|\(query)".utf8))
    }
    router.add("GET", "/peer") { request in
        HTTPResponse(status: .ok, body: Array(request.remoteAddress.utf8))
    }
    router.add("POST", "/echo") { request in
        HTTPResponse(status: .ok, body: request.body)
    }
    router.add("POST", "/empty") { request in
        HTTPResponse(status: .ok, body: Array("\(request.declaresBody)".utf8))
    }
    router.add("GET", "/slow", execution: .queue(.global())) { _ in
        usleep(1_500_000)
        return HTTPResponse(status: .ok, body: Array("slow".utf8))
    }
    router.addDeferred("GET", "/drop") { _, _ in
        // Loses its responder without answering.
    }
    router.add("GET", "/fail") { _ in
        struct Boom: Error {}
        throw Boom()
    }
    return try startTestServer(router: router, configuration: configuration, onConnectionFailure: onConnectionFailure)
}

/// Starts a server with `router` on an ephemeral loopback port (or as `configuration` says).
func startTestServer(
    router: Router, configuration: HTTPServerConfiguration = .ephemeral,
    onConnectionFailure: @escaping @Sendable (ConnectionFailure) -> Void = { _ in }
) throws -> HTTPServer {
    let server = HTTPServer(configuration: configuration, handler: router.handle, onConnectionFailure: onConnectionFailure)
    try server.start()
    return server
}

extension HTTPServerConfiguration {
    /// The defaults on a port the kernel picks.
    static var ephemeral: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        return configuration
    }
}
