// libFuzzer entry point for the HTTP/1.1 request parser and chunked-body decoder.
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
    return 0
}
