import Testing
@testable import HTTPServer

/// A seeded random-mutation fuzzer for the request parser and the chunked decoder: every mutant must be
/// answered (complete, incomplete or an error) without crashing, and the parser's claims must hold.
struct HTTPParserFuzzTests {
    /// Valid requests the mutations start from (the corpus).
    static let seeds: [String] = [
        "GET /users/u1/recommendations?k=10 HTTP/1.1\r\nHost: a\r\n\r\n",
        "POST /events HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\nhello",
        "POST /events HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n",
        "GET http://a/healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: [::ffff:192.0.2.1]:8080\r\n\r\n",
    ]

    /// xorshift64*: deterministic across platforms, so a failure names a reproducible iteration.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    static let interesting: [[UInt8]] = ["\r\n", "\n", "\r", ":", " ", "\t", "\0", "%", "%0", "chunked", "Content-Length: ",
                                         "Transfer-Encoding: ", "ffffffffffffffffffff", "-1", "0", "\u{7f}", "\u{ff}", "HTTP/1.1"]
        .map { Array($0.utf8) }

    static func mutate(_ input: [UInt8], _ random: inout Generator) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) {
            let position = bytes.isEmpty ? 0 : random.below(bytes.count)
            switch random.below(6) {
            case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1 where !bytes.isEmpty: bytes.remove(at: position)
            case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 3: bytes.insert(contentsOf: interesting[random.below(interesting.count)], at: position)
            case 4 where bytes.count > 1:
                let end = min(bytes.count, position + 1 + random.below(16))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default: bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }

    @Test func parserSurvivesMutatedRequests() {
        var random = Generator(state: 0x5EED_0001)
        let parser = HTTPRequestHeadParser(limits: HTTPServerConfiguration())
        var outcomes = (complete: 0, incomplete: 0, failed: 0)
        for iteration in 0..<30_000 {
            let seed = Array(Self.seeds[iteration % Self.seeds.count].utf8)
            let mutant = Self.mutate(seed, &random)
            let result = mutant.withUnsafeBufferPointer { parser.parse($0) }
            switch result {
            case .complete(let head, let consumed):
                outcomes.complete += 1
                #expect(consumed <= mutant.count, "iteration \(iteration)")
                #expect(head.headers.count <= 100, "iteration \(iteration)")
                #expect(!head.method.isEmpty && head.method.utf8.allSatisfy(\.isTokenCharacter), "iteration \(iteration)")
                if case .chunked = head.framing { decodeChunked(Array(mutant[consumed...]), iteration: iteration) }
            case .incomplete:
                outcomes.incomplete += 1
            case .failed(let error):
                outcomes.failed += 1
                #expect(error.status.code >= 400, "iteration \(iteration)")
            }
        }
        // The mutations must exercise every outcome, or the harness tests nothing.
        #expect(outcomes.complete > 1000 && outcomes.incomplete > 100 && outcomes.failed > 1000)
    }

    private func decodeChunked(_ body: [UInt8], iteration: Int) {
        var decoder = ChunkedBodyDecoder(maxBodyBytes: 1 << 16, maxTrailerBytes: 1 << 12)
        var decoded: [UInt8] = []
        do {
            let (_, consumed) = try body.withUnsafeBufferPointer { buffer throws(HTTPParseError) in
                try decoder.decode(buffer, into: &decoded)
            }
            #expect(consumed <= body.count, "iteration \(iteration)")
            #expect(decoded.count <= body.count, "iteration \(iteration)")
        } catch let error as HTTPParseError {
            #expect(error.status.code >= 400, "iteration \(iteration)")
        } catch {
            Issue.record("unexpected error \(error) at iteration \(iteration)")
        }
    }
}
