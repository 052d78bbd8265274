/// Incremental decoder for `Transfer-Encoding: chunked` bodies (RFC 9112 §7.1).
///
/// Chunk extensions are parsed and ignored; trailer fields are read and discarded. The decoded
/// body and the size lines and trailers are each bounded.
struct ChunkedBodyDecoder {
    enum Progress: Equatable {
        case needMore
        case done
    }

    private enum State {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailers(bytesSeen: Int)
    }

    private var state = State.sizeLine
    private let maxBodyBytes: Int
    private let maxTrailerBytes: Int
    private static let maxSizeLineBytes = 4096

    init(maxBodyBytes: Int, maxTrailerBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Consumes as much of `bytes` as it can, appending decoded data to `body`.
    /// - Returns: the progress and how many bytes of `bytes` were consumed.
    mutating func decode(
        _ bytes: UnsafeBufferPointer<UInt8>, into body: inout [UInt8]
    ) throws(HTTPParseError) -> (Progress, consumed: Int) {
        var position = 0
        while true {
            switch state {
            case .sizeLine:
                guard let lineFeed = bytes.firstLineFeed(from: position, limit: Self.maxSizeLineBytes) else {
                    if bytes.count - position > Self.maxSizeLineBytes { throw .bad("chunk size line too long") }
                    return (.needMore, position)
                }
                let size = try parseChunkSize(UnsafeBufferPointer(rebasing: bytes[position..<lineFeed]))
                position = lineFeed + 1
                if size == 0 {
                    state = .trailers(bytesSeen: 0)
                } else {
                    guard size <= maxBodyBytes - body.count else {
                        throw HTTPParseError(.contentTooLarge, code: "payload_too_large",
                                             "body larger than \(maxBodyBytes) bytes")
                    }
                    state = .data(remaining: size)
                }
            case .data(let remaining):
                let available = min(remaining, bytes.count - position)
                if available == 0 { return (.needMore, position) }
                body.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<position + available]))
                position += available
                state = remaining == available ? .dataEnd : .data(remaining: remaining - available)
            case .dataEnd:
                guard position < bytes.count else { return (.needMore, position) }
                if bytes[position] == .lf {
                    position += 1
                } else if bytes[position] == .cr {
                    guard position + 1 < bytes.count else { return (.needMore, position) }
                    guard bytes[position + 1] == .lf else { throw .bad("chunk data not followed by CRLF") }
                    position += 2
                } else {
                    throw .bad("chunk data longer than its size")
                }
                state = .sizeLine
            case .trailers(let bytesSeen):
                let remainingAllowance = maxTrailerBytes - bytesSeen
                guard let lineFeed = bytes.firstLineFeed(from: position, limit: remainingAllowance + 1) else {
                    if bytes.count - position > remainingAllowance {
                        throw HTTPParseError(.headerFieldsTooLarge, code: "header_fields_too_large", "trailer section too large")
                    }
                    return (.needMore, position)
                }
                var contentEnd = lineFeed
                if contentEnd > position, bytes[contentEnd - 1] == .cr { contentEnd -= 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[position..<contentEnd])
                position = lineFeed + 1
                if line.isEmpty { return (.done, position) }
                guard let colon = line.firstIndex(of: .colon), colon > 0,
                      line[..<colon].allSatisfy(\.isTokenCharacter),
                      line[(colon + 1)...].allSatisfy({ $0 == .tab || ($0 >= 0x20 && $0 != 0x7F) })
                else { throw .bad("malformed trailer field") }
                state = .trailers(bytesSeen: bytesSeen + line.count + 2)
            }
        }
    }

    /// `1a3f[;ext=value]` with an optional CR before the LF.
    private func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> Int {
        var end = line.count
        if end > 0, line[end - 1] == .cr { end -= 1 }
        var size = 0
        var digits = 0
        var index = 0
        while index < end, let digit = hexDigit(line[index]) {
            guard digits < 15 else {
                throw HTTPParseError(.contentTooLarge, code: "payload_too_large", "chunk size too large")
            }
            size = size << 4 | digit
            digits += 1
            index += 1
        }
        guard digits > 0 else { throw .bad("invalid chunk size") }
        while index < end, line[index] == .space || line[index] == .tab { index += 1 }
        if index < end {
            guard line[index] == UInt8(ascii: ";") else { throw .bad("invalid chunk size") }
            let extensions = UnsafeBufferPointer(rebasing: line[(index + 1)..<end])
            guard extensions.allSatisfy({ $0 == .tab || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw .bad("invalid chunk extension")
            }
        }
        return size
    }

    private func hexDigit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
