import Foundation
import Markup
import Testing
import Yams

@testable import APIReference

/// The /docs page documents the whole spec and nothing on it can run or load from elsewhere.
@Suite struct APIReferenceTests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("openapi.yaml").path

    @Test func everyOperationAndEveryStatusOfTheSpecIsOnThePage() throws {
        let page = String(decoding: try APIReference().html, as: UTF8.self)
        let spec = try #require(try Yams.compose(yaml: String(contentsOfFile: Self.specPath, encoding: .utf8)))
        var operations = 0
        for (pathNode, item) in try #require(spec["paths"]?.mapping) {
            let path = try #require(pathNode.scalar?.string)
            for method in PageRenderer.methods {
                guard let operation = item[method] else { continue }
                operations += 1
                let heading = "<span class=\"method \(method)\">\(method.uppercased())</span> <code>\(escapeMarkup(path))</code></h2>"
                let start = try #require(page.range(of: heading), "\(method) \(path) has no section")
                let section = page[start.upperBound...].prefix { _ in true }
                let end = section.range(of: "</section>")?.lowerBound ?? section.endIndex
                let body = section[..<end]
                for (statusNode, _) in operation["responses"]?.mapping ?? [:] {
                    let status = try #require(statusNode.scalar?.string)
                    #expect(body.contains(">\(status)</dt>"), "\(method) \(path): status \(status) is missing")
                }
            }
        }
        #expect(operations > 30)
    }

    @Test func thePageRunsNothingAndLoadsOnlyItsStyleSheet() throws {
        let page = String(decoding: try APIReference().html, as: UTF8.self)
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains(" src="))
        #expect(!page.contains(" style="))
        let links = page.matches(of: /<link [^>]*href="([^"]*)"/).map { String($0.1) }
        #expect(links == ["/docs/docs.css"])
        #expect(!page.contains("<style"))
        #expect(try !APIReference().css.isEmpty)
    }

    @Test func readmeCommandsAppearUnderTheirRoute() throws {
        let page = String(decoding: try APIReference().html, as: UTF8.self)
        let start = try #require(page.range(of: "<code>/events</code></h2>"))
        let section = page[start.upperBound...]
        let events = section[..<(section.range(of: "</section>")?.lowerBound ?? section.endIndex)]
        #expect(events.contains("From the README"))
        #expect(events.contains("curl -s http://127.0.0.1:8080/events"))
    }

    @Test func curlCommandsAreMatchedByMethodAndPathTemplate() {
        let readme = """
            ```sh
            curl -s http://127.0.0.1:8080/events -H 'Content-Type: application/json' \\
              -d '{"user": "u42"}'
            curl -s 'http://127.0.0.1:8080/users/u42/recommendations?k=5'
            curl -sG http://127.0.0.1:8080/users/u42/recommendations --data-urlencode k=10
            curl -s -X DELETE http://127.0.0.1:8080/items/sku-9
            curl -s -X PATCH http://127.0.0.1:8080/items/sku-9 -d '{}'
            ```
            ```
            curl -s http://127.0.0.1:8080/healthz
            ```
            """
        let examples = CurlExamples(readme: readme)
        #expect(examples.commands(method: "post", pathTemplate: "/events").count == 1)
        #expect(examples.commands(method: "post", pathTemplate: "/events").first?.contains("-d '{\"user\": \"u42\"}'") == true)
        #expect(examples.commands(method: "get", pathTemplate: "/users/{user}/recommendations").count == 2)
        #expect(examples.commands(method: "delete", pathTemplate: "/items/{item}").count == 1)
        #expect(examples.commands(method: "patch", pathTemplate: "/items/{item}").count == 1)
        #expect(examples.commands(method: "get", pathTemplate: "/items/{item}").isEmpty)
        #expect(examples.commands(method: "get", pathTemplate: "/healthz").isEmpty, "only ```sh blocks count")
    }

}
