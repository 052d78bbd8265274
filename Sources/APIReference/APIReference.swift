import Foundation
import JSON
import Markup
import Yams

/// `GET /docs`: the API reference, one HTML page rendered from the `openapi.yaml` embedded at build time — every
/// route with its parameters, body, responses, examples and the README's curl commands for it — and its style
/// sheet, served apart (`/docs/docs.css`) so the page works under `Content-Security-Policy: default-src 'self'`.
/// No script, no external request; every text from the spec is HTML-escaped.
package struct APIReference: Sendable {
    /// The page, UTF-8.
    package let html: [UInt8]
    /// The style sheet, UTF-8.
    package let css: [UInt8]

    /// Renders the embedded spec; `stylesheetPath` is the page's link to the style sheet.
    package init(stylesheetPath: String = "/docs/docs.css") throws(APIReferenceError) {
        guard let spec = EmbeddedFiles.text["openapi.yaml"] else { throw .missingFile("openapi.yaml") }
        let root: Node
        do {
            guard let composed = try Yams.compose(yaml: spec) else { throw APIReferenceError.invalidSpec("empty document") }
            root = composed
        } catch let error as APIReferenceError {
            throw error
        } catch {
            throw .invalidSpec("\(error)")
        }
        let examples = CurlExamples(readme: EmbeddedFiles.text["README.md"] ?? "")
        html = Array(PageRenderer(root: root, examples: examples).render(stylesheetPath: stylesheetPath).utf8)
        css = Array((EmbeddedFiles.text["docs.css"] ?? "").utf8)
    }
}

/// Why the reference could not be rendered (a build that embedded a broken spec).
package enum APIReferenceError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case invalidSpec(String)

    package var description: String {
        switch self {
        case .missingFile(let name): "the API reference: \(name) was not embedded"
        case .invalidSpec(let reason): "the API reference: openapi.yaml does not parse: \(reason)"
        }
    }
}

/// The HTML of the spec, section by section.
struct PageRenderer {
    let root: Node
    let examples: CurlExamples
    static let methods = ["get", "put", "post", "patch", "delete", "head", "options"]

    func render(stylesheetPath: String) -> String {
        let title = text(root["info"]?["title"]) ?? "API"
        let version = text(root["info"]?["version"]) ?? ""
        var page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escapeMarkup(title)) \(escapeMarkup(version)) — API reference</title>
            <link rel="stylesheet" href="\(escapeMarkup(stylesheetPath))">
            </head><body><main>
            <h1>\(escapeMarkup(title)) <small>\(escapeMarkup(version))</small></h1>

            """
        page += markdown(text(root["info"]?["description"]) ?? "")
        page += tableOfContents()
        for (path, item) in paths() {
            for (method, operation) in operations(of: item) {
                page += renderOperation(method: method, path: path, operation: operation, shared: item["parameters"])
            }
        }
        page += renderSchemas()
        page += "</main></body></html>\n"
        return page
    }

    // MARK: - Sections

    private func tableOfContents() -> String {
        var html = "<nav><h2>Routes</h2><ul>\n"
        for (path, item) in paths() {
            for (method, operation) in operations(of: item) {
                html += "<li><a href=\"#\(anchor(method, path))\"><span class=\"method \(method)\">\(method.uppercased())</span> "
                    + "<code>\(escapeMarkup(path))</code></a> \(escapeMarkup(text(operation["summary"]) ?? ""))</li>\n"
            }
        }
        return html + "</ul></nav>\n"
    }

    private func renderOperation(method: String, path: String, operation: Node, shared: Node?) -> String {
        var html = "<section class=\"operation\" id=\"\(anchor(method, path))\">\n"
        html += "<h2><span class=\"method \(method)\">\(method.uppercased())</span> <code>\(escapeMarkup(path))</code></h2>\n"
        if let summary = text(operation["summary"]) { html += "<p class=\"summary\">\(escapeMarkup(summary))</p>\n" }
        html += markdown(text(operation["description"]) ?? "")
        html += renderSecurity(operation["security"])
        let parameters = (shared?.sequence.map(Array.init) ?? []) + (operation["parameters"]?.sequence.map(Array.init) ?? [])
        if !parameters.isEmpty { html += renderParameters(parameters.map(resolve)) }
        if let body = operation["requestBody"].map(resolve) { html += renderRequestBody(body) }
        if let responses = operation["responses"]?.mapping { html += renderResponses(responses) }
        let commands = examples.commands(method: method, pathTemplate: path)
        if !commands.isEmpty {
            html += "<h3>From the README</h3>\n<pre class=\"curl\">"
                + commands.map { escapeMarkup($0) }.joined(separator: "\n") + "</pre>\n"
        }
        return html + "</section>\n"
    }

    private func renderSecurity(_ node: Node?) -> String {
        guard let requirements = node?.sequence, !requirements.isEmpty else { return "" }
        let schemes = requirements.compactMap { requirement -> String? in
            guard let names = requirement.mapping?.compactMap({ $0.key.scalar?.string }), !names.isEmpty else { return "none" }
            return names.joined(separator: " + ")
        }
        return "<p class=\"security\">Credentials: \(schemes.map { "<code>\(escapeMarkup($0))</code>" }.joined(separator: " or "))</p>\n"
    }

    private func renderParameters(_ parameters: [Node]) -> String {
        var html = "<h3>Parameters</h3>\n<table><thead><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>\n"
        for parameter in parameters {
            let required = parameter["required"]?.bool == true ? " <em>required</em>" : ""
            html += "<tr><td><code>\(escapeMarkup(text(parameter["name"]) ?? "?"))</code>\(required)</td>"
                + "<td>\(escapeMarkup(text(parameter["in"]) ?? ""))</td>"
                + "<td>\(typeDescription(parameter["schema"]))</td>"
                + "<td>\(markdownInline(text(parameter["description"]) ?? ""))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func renderRequestBody(_ body: Node) -> String {
        var html = "<h3>Request body\(body["required"]?.bool == true ? " <em>required</em>" : "")</h3>\n"
        html += markdown(text(body["description"]) ?? "")
        for (type, content) in body["content"]?.mapping.map(Array.init) ?? [] {
            html += "<p>Content type <code>\(escapeMarkup(type.scalar?.string ?? ""))</code>: \(typeDescription(content["schema"]))</p>\n"
            html += renderExamples(content)
        }
        return html
    }

    private func renderResponses(_ responses: Node.Mapping) -> String {
        var html = "<h3>Responses</h3>\n<dl class=\"responses\">\n"
        for (statusNode, value) in responses {
            let status = statusNode.scalar?.string ?? "?"
            let response = resolve(value)
            html += "<dt class=\"status s\(escapeMarkup(String(status.prefix(1))))\">\(escapeMarkup(status))</dt><dd>"
            html += markdown(text(response["description"]) ?? "")
            for (type, content) in response["content"]?.mapping.map(Array.init) ?? [] {
                html += "<p><code>\(escapeMarkup(type.scalar?.string ?? ""))</code>: \(typeDescription(content["schema"]))</p>\n"
                html += renderExamples(content)
            }
            if let headers = response["headers"]?.mapping, !headers.isEmpty {
                html += "<p>Headers: " + headers.compactMap { $0.key.scalar?.string }.map { "<code>\(escapeMarkup($0))</code>" }
                    .joined(separator: ", ") + "</p>\n"
            }
            html += "</dd>\n"
        }
        return html + "</dl>\n"
    }

    private func renderExamples(_ content: Node) -> String {
        var html = ""
        if let example = content["example"] {
            html += "<pre class=\"example\">\(escapeMarkup(json(example)))</pre>\n"
        }
        for (name, example) in content["examples"]?.mapping.map(Array.init) ?? [] {
            let resolved = resolve(example)
            let label = text(resolved["summary"]) ?? name.scalar?.string ?? ""
            guard let value = resolved["value"] else { continue }
            html += "<p class=\"example-name\">\(markdownInline(label))</p><pre class=\"example\">\(escapeMarkup(json(value)))</pre>\n"
        }
        return html
    }

    private func renderSchemas() -> String {
        guard let schemas = root["components"]?["schemas"]?.mapping, !schemas.isEmpty else { return "" }
        var html = "<section class=\"schemas\"><h2>Schemas</h2>\n"
        for (nameNode, schema) in schemas {
            let name = nameNode.scalar?.string ?? "?"
            html += "<h3 id=\"schema-\(escapeMarkup(name))\">\(escapeMarkup(name))</h3>\n"
            html += markdown(text(schema["description"]) ?? "")
            html += "<p>\(typeDescription(schema, expandReferences: false))</p>\n"
            if let properties = schema["properties"]?.mapping, !properties.isEmpty {
                let required = Set(schema["required"]?.sequence?.compactMap { $0.scalar?.string } ?? [])
                html += "<table><thead><tr><th>field</th><th>type</th><th>description</th></tr></thead><tbody>\n"
                for (fieldNode, field) in properties {
                    let field = resolve(field)
                    let fieldName = fieldNode.scalar?.string ?? "?"
                    html += "<tr><td><code>\(escapeMarkup(fieldName))</code>\(required.contains(fieldName) ? " <em>required</em>" : "")</td>"
                        + "<td>\(typeDescription(field))</td><td>\(markdownInline(text(field["description"]) ?? ""))</td></tr>\n"
                }
                html += "</tbody></table>\n"
            }
        }
        return html + "</section>\n"
    }

    // MARK: - Spec reading

    private func paths() -> [(String, Node)] {
        root["paths"]?.mapping?.compactMap { key, value in key.scalar.map { ($0.string, value) } } ?? []
    }

    private func operations(of item: Node) -> [(String, Node)] {
        Self.methods.compactMap { method in item[method].map { (method, $0) } }
    }

    /// The node a `$ref` names (local references only), or the node itself.
    private func resolve(_ node: Node) -> Node {
        var current = node
        for _ in 0..<8 {
            guard let reference = text(current["$ref"]), reference.hasPrefix("#/") else { return current }
            var target: Node? = root
            for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
            guard let found = target else { return current }
            current = found
        }
        return current
    }

    /// A schema in a few words: a link for a reference, the type with its constraints, or its alternatives.
    private func typeDescription(_ node: Node?, expandReferences: Bool = true) -> String {
        guard let node else { return "" }
        if let reference = text(node["$ref"]) {
            let name = String(reference.split(separator: "/").last ?? "")
            return "<a href=\"#schema-\(escapeMarkup(name))\">\(escapeMarkup(name))</a>"
        }
        for combinator in ["oneOf", "anyOf", "allOf"] {
            if let options = node[combinator]?.sequence {
                let joiner = combinator == "allOf" ? " and " : " or "
                return options.map { typeDescription($0) }.joined(separator: joiner)
            }
        }
        var words: [String] = []
        if let type = node["type"] {
            words.append(type.sequence.map { $0.compactMap { $0.scalar?.string }.joined(separator: " or ") } ?? text(type) ?? "")
        }
        if let items = node["items"] { words.append("of " + typeDescription(items)) }
        if let format = text(node["format"]) { words.append("(\(escapeMarkup(format)))") }
        if let values = node["enum"]?.sequence {
            words.append("one of " + values.map { "<code>\(escapeMarkup($0.scalar?.string ?? ""))</code>" }.joined(separator: ", "))
        }
        for (key, label) in [("minimum", "≥"), ("maximum", "≤"), ("minLength", "length ≥"), ("maxLength", "length ≤"),
                             ("minItems", "items ≥"), ("maxItems", "items ≤"), ("default", "default")] {
            if let value = text(node[key]) { words.append("\(label) \(escapeMarkup(value))") }
        }
        return words.map { $0.hasPrefix("<") || $0.hasPrefix("of ") || $0.hasPrefix("one of") ? $0 : escapeMarkup($0) }
            .joined(separator: " ")
    }

    // MARK: - Text

    private func text(_ node: Node?) -> String? { node?.scalar?.string }

    /// Descriptions are CommonMark; the subset the spec uses: paragraphs, pipe tables, `-` and `1.` lists, `code`
    /// spans and **bold**. Everything else is text, escaped.
    private func markdown(_ source: String) -> String {
        source.split(separator: "\n\n", omittingEmptySubsequences: true).map { block in
            let lines = block.split(separator: "\n").map(String.init)
            if lines.allSatisfy({ $0.hasPrefix("|") }) { return table(lines) }
            if let first = lines.first, let kind = listKind(first) { return list(lines, ordered: kind) }
            return "<p>\(markdownInline(lines.joined(separator: "\n")))</p>\n"
        }.joined()
    }

    private func table(_ lines: [String]) -> String {
        let rows = lines.filter { !$0.replacingOccurrences(of: "|", with: "").allSatisfy { "-: ".contains($0) } }.map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let header = rows.first else { return "" }
        var html = "<table><thead><tr>" + header.map { "<th>\(markdownInline($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows.dropFirst() { html += "<tr>" + row.map { "<td>\(markdownInline($0))</td>" }.joined() + "</tr>\n" }
        return html + "</tbody></table>\n"
    }

    /// Whether `line` starts a list item: false for `-`/`*` bullets, true for `1.` numbers, nil otherwise.
    private func listKind(_ line: String) -> Bool? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return false }
        let digits = line.prefix { $0.isNumber }
        return !digits.isEmpty && line.dropFirst(digits.count).hasPrefix(". ") ? true : nil
    }

    private func list(_ lines: [String], ordered: Bool) -> String {
        var items: [String] = []
        for line in lines {
            if let kind = listKind(line), kind == ordered {
                items.append(String(line.drop { $0 != " " }.dropFirst()))
            } else if !items.isEmpty {
                items[items.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                items.append(line)
            }
        }
        let tag = ordered ? "ol" : "ul"
        return "<\(tag)>" + items.map { "<li>\(markdownInline($0))</li>" }.joined() + "</\(tag)>\n"
    }

    private func markdownInline(_ source: String) -> String {
        var html = "", inCode = false
        for (index, part) in source.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { inCode.toggle() }
            html += inCode ? "<code>\(escapeMarkup(String(part)))</code>" : bold(escapeMarkup(String(part)))
        }
        return html
    }

    /// `**text**` as `<strong>` in already escaped text.
    private func bold(_ escaped: String) -> String {
        let parts = escaped.components(separatedBy: "**")
        guard parts.count >= 3 else { return escaped }
        var html = ""
        for (index, part) in parts.enumerated() {
            if index == 0 {
                html += part
            } else if index % 2 == 1 && index < parts.count - 1 {
                html += "<strong>" + part + "</strong>"
            } else {
                html += (index % 2 == 1 ? "**" : "") + part
            }
        }
        return html
    }

    /// The example as indented JSON (YAML scalars typed as YAML resolves them).
    private func json(_ node: Node) -> String {
        jsonValue(node).serialized(indent: 2)
    }

    private func jsonValue(_ node: Node) -> JSONValue {
        switch node {
        case .mapping(let mapping):
            return .object(mapping.map { (key: $0.key.scalar?.string ?? "", value: jsonValue($0.value)) })
        case .sequence(let sequence):
            return .array(sequence.map(jsonValue))
        case .scalar(let scalar):
            if scalar.style == .plain {
                if scalar.string == "null" || scalar.string == "~" { return .null }
                if let bool = node.bool { return .bool(bool) }
                if let integer = node.int { return .integer(integer) }
                if let number = node.float { return .number(number) }
            }
            return .string(scalar.string)
        case .alias:
            return .null
        }
    }

    private func anchor(_ method: String, _ path: String) -> String {
        method + "-" + path.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }
}
