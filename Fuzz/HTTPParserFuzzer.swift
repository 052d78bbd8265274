// libFuzzer entry point for the HTTP/1.1 request parser and chunked-body decoder, and for the HTTP/2
// session's handling of whatever frames follow a connection preface.
// Built by Fuzz/run.sh with `swiftc -sanitize=fuzzer,address` together with Sources/HTTPServer.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var limits = HTTPServerConfiguration()
    limits.maxRequestLineBytes = 1024
    limits.maxHeaderBytes = 2048
    limits.maxHeaderCount = 20
    switch HTTPRequestHeadParser(limits: limits).parse(bytes) {
    case .complete(let head, let consumed):
        precondition(consumed <= size, "parser consumed more than it was given")
        if case .chunked = head.framing {
            var decoder = ChunkedBodyDecoder(maxBodyBytes: 4096, maxTrailerBytes: 1024)
            var body: [UInt8] = []
            if let (_, used) = try? decoder.decode(UnsafeBufferPointer(rebasing: bytes[consumed...]), into: &body) {
                precondition(used <= size - consumed, "decoder consumed more than it was given")
                precondition(body.count <= 4096, "decoder exceeded its body limit")
            }
        }
        let request = HTTPRequest(method: head.method, target: head.target, version: head.version, headers: head.headers)
        _ = try? request.queryItems()
        _ = request.wantsClose
    case .incomplete, .failed:
        break
    }
    fuzzHTTP2Session(bytes, limits: limits)
    return 0
}

/// The loop every fuzzed session belongs to. Sessions check that they run on their loop's thread in debug
/// builds only; this target is built with -O, and the fuzzer drives them on its own thread (the loop never runs).
private let fuzzLoop: EventLoop = {
    let server = HTTPServer(configuration: HTTPServerConfiguration()) { _, responder in responder.send(HTTPResponse(status: .ok)) }
    return try! EventLoop(server: server)
}()

/// Feeds the preface and `bytes` to a server session that answers every request at once (as the
/// connection does when a handler answers inline), then drains its output.
private func fuzzHTTP2Session(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPServerConfiguration) {
    var limits = limits
    limits.maxBodyBytes = 4096
    guard let session = HTTP2Session(limits: limits, loop: fuzzLoop) else { return }
    let body = Array(bytes.prefix(64))
    session.onRequest = { [unowned session] stream, _ in
        session.respond(to: stream, with: HTTPResponse(status: .ok, body: body), isHead: false, date: "-")
    }
    let input = HTTP2Preface.bytes + Array(bytes)
    guard input.withUnsafeBufferPointer({ session.receive($0) }) else { return }
    var output: [UInt8] = []
    repeat {
        output.removeAll(keepingCapacity: true)
        guard session.collectOutput(into: &output, limit: 1 << 16) else { return }
    } while !output.isEmpty
    _ = session.expireStalledStreams(now: monotonicNanoseconds() + 60_000_000_000)
}
