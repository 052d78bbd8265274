/// The syntax of a `Host` field value or an HTTP/2 `:authority`: RFC 3986 `uri-host [ ":" port ]`
/// (RFC 9110 §7.2, RFC 9112 §3.2, RFC 9113 §8.3.1). A request with any other value is answered 400.
///
/// One pass over the bytes of a name and its port (an IP literal is first scanned for its `]`), no allocation.
/// Where the grammar leaves room, the choices are:
/// - The host must not be empty. RFC 3986 allows an empty `reg-name`, and RFC 9112 §3.2 lets a client send
///   an empty `Host` when its target URI has no authority; but every target this server takes is an `http`
///   or `https` URI, whose host RFC 9110 §4.2.1 says a recipient MUST reject when empty.
/// - `reg-name` is checked for its characters only (unreserved, sub-delims, `%` HEXDIG HEXDIG), so
///   `256.1.1.1` passes as a name, as RFC 3986 §3.2.2 reads it; internationalized names arrive as
///   `xn--` labels or percent-encoded, never as raw non-ASCII bytes.
/// - Inside brackets, an `IPv6address` exactly as RFC 3986 spells it (no zone identifier), or an
///   `IPvFuture` (`v` HEXDIG… `.` …): it is valid syntax, and cheap to check.
/// - The port may be empty (`h:`, as RFC 3986 allows); otherwise one to five digits with a value of at
///   most 65535.
enum HostField {
    /// Why a value is not `uri-host [ ":" port ]`.
    enum Failure: Error, Equatable {
        /// Nothing before the port, or no value at all.
        case emptyHost
        /// A byte that may not appear in a host name: `@` (userinfo), `/`, a space, a bracket, non-ASCII….
        case disallowedByte(UInt8)
        /// `%` not followed by two hexadecimal digits.
        case invalidPercentEncoding
        /// `[` without `]`, brackets around something other than an IPv6 or IPvFuture address, or text after `]`
        /// that is not a port.
        case invalidIPLiteral
        /// A port with a byte other than a digit (a second `:` included), more than five digits, or over 65535.
        case invalidPort

        /// What is wrong, for the 400 answer.
        var message: String {
            switch self {
            case .emptyHost: "the host is empty"
            case .disallowedByte(let byte) where byte > 0x20 && byte < 0x7F:
                "'\(Character(Unicode.Scalar(byte)))' is not allowed in a host"
            case .disallowedByte(let byte):
                "byte 0x\(String(byte, radix: 16, uppercase: true)) is not allowed in a host"
            case .invalidPercentEncoding: "'%' must be followed by two hexadecimal digits"
            case .invalidIPLiteral: "brackets must hold an IPv6 or IPvFuture address, and only a port may follow them"
            case .invalidPort: "the port must be digits only, at most five, no more than 65535"
            }
        }
    }

    /// The 400 to answer when `value` is invalid, naming the field it came in (`"Host header"`); nil when valid.
    static func parseError(validating value: String, field name: String) -> HTTPParseError? {
        var value = value // a native String: withUTF8 neither copies nor allocates
        let failure = value.withUTF8 { bytes -> Failure? in
            do throws(Failure) {
                try validate(bytes)
                return nil
            } catch {
                return error
            }
        }
        return failure.map { HTTPParseError.bad("invalid \(name): \($0.message)") }
    }

    /// Checks that `value` is `uri-host [ ":" port ]` under the rules above.
    static func validate(_ value: UnsafeBufferPointer<UInt8>) throws(Failure) {
        var index = 0
        if value.first == UInt8(ascii: "[") {
            guard let close = value.firstIndex(of: UInt8(ascii: "]")) else { throw .invalidIPLiteral }
            let literal = UnsafeBufferPointer(rebasing: value[1..<close])
            guard isIPv6Address(literal) || isIPvFuture(literal) else { throw .invalidIPLiteral }
            index = close + 1
            guard index == value.count || value[index] == .colon else { throw .invalidIPLiteral }
        } else {
            while index < value.count, value[index] != .colon {
                let byte = value[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < value.count, value[index + 1].isHexDigit, value[index + 2].isHexDigit else {
                        throw .invalidPercentEncoding
                    }
                    index += 3
                } else {
                    guard byte.isUnreserved || byte.isSubDelimiter else { throw .disallowedByte(byte) }
                    index += 1
                }
            }
            guard index > 0 else { throw .emptyHost }
        }
        guard index < value.count else { return }
        // value[index] is ':'; what follows is the port, possibly empty.
        let port = UnsafeBufferPointer(rebasing: value[(index + 1)...])
        guard port.count <= 5 else { throw .invalidPort }
        var number = 0
        for byte in port {
            guard byte.isDigit else { throw .invalidPort }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
        }
        guard number <= 65535 else { throw .invalidPort }
    }

    /// RFC 3986 `IPv6address`: eight groups of one to four hex digits separated by `:`, where one `::` may
    /// stand for one or more groups, and the last two groups may be written as an `IPv4address`.
    static func isIPv6Address(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var groups = 0
        var compressed = false
        var index = 0
        if bytes.count >= 2, bytes[0] == .colon, bytes[1] == .colon {
            compressed = true
            index = 2
            if index == bytes.count { return true }
        }
        while true {
            let start = index
            while index < bytes.count, bytes[index].isHexDigit { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                guard isIPv4Address(UnsafeBufferPointer(rebasing: bytes[start...])) else { return false }
                groups += 2
                break
            }
            guard index - start >= 1, index - start <= 4 else { return false }
            groups += 1
            if index == bytes.count { break }
            guard bytes[index] == .colon, index + 1 < bytes.count else { return false }
            index += 1
            if bytes[index] == .colon {
                guard !compressed else { return false }
                compressed = true
                index += 1
                if index == bytes.count { break }
            }
        }
        return compressed ? groups <= 7 : groups == 8
    }

    /// RFC 3986 `IPv4address`: four decimal octets of 0–255 without leading zeros, separated by `.`.
    static func isIPv4Address(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        for octet in 0..<4 {
            if octet > 0 {
                guard index < bytes.count, bytes[index] == UInt8(ascii: ".") else { return false }
                index += 1
            }
            let start = index
            var value = 0
            while index < bytes.count, index - start < 3, bytes[index].isDigit {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            let digits = index - start
            guard digits >= 1, value <= 255, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return false }
        }
        return index == bytes.count
    }

    /// RFC 3986 `IPvFuture`: `v` 1*HEXDIG `.` 1*( unreserved / sub-delims / `:` ).
    static func isIPvFuture(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, first.asciiLowercased == UInt8(ascii: "v"),
              let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 1, dot + 1 < bytes.count
        else { return false }
        return bytes[1..<dot].allSatisfy(\.isHexDigit)
            && bytes[(dot + 1)...].allSatisfy { $0.isUnreserved || $0.isSubDelimiter || $0 == .colon }
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        isDigit || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(asciiLowercased)
    }

    /// RFC 3986 `unreserved`: ALPHA / DIGIT / `-` / `.` / `_` / `~`.
    var isUnreserved: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// RFC 3986 `sub-delims`: `!` `$` `&` `'` `(` `)` `*` `+` `,` `;` `=`.
    var isSubDelimiter: Bool {
        switch self {
        case UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }
}
