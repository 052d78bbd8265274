import Foundation
import Testing
@testable import Configuration

struct AdminTokenTests {
    @Test func matchesOnlyTheExactToken() throws {
        let token = try #require(AdminToken("s3cret-token\n"))
        #expect(token.matches("s3cret-token"))
        #expect(!token.matches("s3cret-toke"))
        #expect(!token.matches("s3cret-token2"))
        #expect(!token.matches(""))
        #expect(!token.matches("S3cret-token"))
        // Lengths that differ by a multiple of 256 must not look equal.
        for extra in [256, 512, 4096] {
            #expect(!token.matches("s3cret-token" + String(repeating: "x", count: extra)))
            #expect(!token.matches("s3cret-token" + String(repeating: "\u{0}", count: extra)))
        }
    }

    @Test func authorizesBearerHeaderOnly() throws {
        let token = try #require(AdminToken("abc"))
        #expect(token.authorizes(header: "Bearer abc"))
        #expect(token.authorizes(header: "bearer abc"))
        #expect(!token.authorizes(header: "Basic abc"))
        #expect(!token.authorizes(header: "Bearer abd"))
        #expect(!token.authorizes(header: nil))
    }

    @Test func rejectsEmptyToken() {
        #expect(AdminToken("  \n") == nil)
    }

    @Test func generatesPrivateTokenFileOnceAndReusesIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("admin-token").path
        let (token, generated) = try AdminToken.loadOrGenerate(at: path)
        #expect(generated)
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.count == 64)
        #expect(token.matches(text))
        let (again, generatedAgain) = try AdminToken.loadOrGenerate(at: path)
        #expect(!generatedAgain)
        #expect(again.matches(text))
    }
}
