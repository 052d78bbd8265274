import Foundation
import TestSupport
import Testing

/// `GET /docs`: the API reference page and its style sheet, under the page's security headers, without credentials.
@Suite struct DocsServeTests {
    @Test func docsPageAndStyleSheetAreServedWithTheirSecurityHeaders() throws {
        let server = try ServerProcess(arguments: ["--api-key-file", try Self.apiKeyFile()])
        let client = try server.client()
        let page = try #require(client.request("GET", "/docs"))
        #expect(page.status == 200)
        #expect(page.header("content-type") == "text/html; charset=utf-8")
        #expect(page.header("content-security-policy") == "default-src 'self'")
        #expect(page.header("x-content-type-options") == "nosniff")
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.contains("<code>/users/{user}/recommendations</code>"))
        let css = try #require(client.request("GET", "/docs/docs.css"))
        #expect(css.status == 200)
        #expect(css.header("content-type") == "text/css; charset=utf-8")
        #expect(!css.body.isEmpty)
        let head = try #require(client.request("HEAD", "/docs"))
        #expect(head.status == 200 && head.body.isEmpty)
        #expect(server.terminate() == 0)
    }

    /// An API key, so the test also shows the page needs no credentials.
    private static func apiKeyFile() throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-docs-key-\(UUID().uuidString)")
        try "docs-test-api-key-0123456789".write(to: file, atomically: false, encoding: .utf8)
        return file.path
    }
}
