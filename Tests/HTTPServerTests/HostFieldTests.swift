import Testing
@testable import HTTPServer

/// The `uri-host [":" port]` grammar on its own; the parser tests check that it answers 400.
struct HostFieldTests {
    private func failure(_ value: String) -> HostField.Failure? {
        Array(value.utf8).withUnsafeBufferPointer { bytes in
            do throws(HostField.Failure) {
                try HostField.validate(bytes)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test(arguments: ["[1:2:3:4:5:6:7:8]", "[::]", "[1::]", "[1::8]", "[::ffff:192.0.2.1]", "[1:2:3:4:5:6:192.0.2.1]",
                      "[FE80::a:B]", "[1:2:3:4:5:6:7::]", "[v1.x:y]", "[V1F.a]", "a!$&'()*+,;=-._~z", "h:00080", "h:65535",
                      "256.1.1.1"])
    func acceptsEveryFormTheGrammarAllows(_ value: String) {
        #expect(failure(value) == nil)
    }

    @Test(arguments: [
        ("[1:2:3:4:5:6:7:8:9]", HostField.Failure.invalidIPLiteral), ("[1:2:3:4:5:6:7]", .invalidIPLiteral),
        ("[1:::2]", .invalidIPLiteral), ("[1::2::3]", .invalidIPLiteral), ("[:1]", .invalidIPLiteral),
        ("[1:]", .invalidIPLiteral), ("[12345::]", .invalidIPLiteral), ("[::1.2.3]", .invalidIPLiteral),
        ("[::01.2.3.4]", .invalidIPLiteral), ("[::256.1.1.1]", .invalidIPLiteral), ("[1.2.3.4::]", .invalidIPLiteral),
        ("[fe80::1%25eth0]", .invalidIPLiteral), ("[]", .invalidIPLiteral), ("[v.x]", .invalidIPLiteral),
        ("[v1.]", .invalidIPLiteral), ("[example.com]", .invalidIPLiteral), ("u@h", .disallowedByte(UInt8(ascii: "@"))),
        ("a]", .disallowedByte(UInt8(ascii: "]"))), ("\u{e9}", .disallowedByte(0xC3)), ("a%2", .invalidPercentEncoding),
        ("h:-1", .invalidPort), ("h:99999", .invalidPort), ("", .emptyHost),
    ])
    func namesWhatIsWrong(_ value: String, _ expected: HostField.Failure) {
        #expect(failure(value) == expected)
    }

    @Test func describesTheOffendingByte() {
        #expect(HostField.Failure.disallowedByte(UInt8(ascii: "@")).message == "'@' is not allowed in a host")
        #expect(HostField.Failure.disallowedByte(0xC3).message == "byte 0xC3 is not allowed in a host")
    }
}
