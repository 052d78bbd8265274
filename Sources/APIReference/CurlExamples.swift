/// The curl commands of the README's shell blocks, found again by the route they call.
///
/// A command is a line starting with `curl` (with its `\` continuation lines) inside a ```sh block. Its method is
/// `-X METHOD`, else POST when it sends a body (`-d`, `--data…` without `-G`), else GET; its path is the part of its
/// `http://…:port` URL between the port and the query.
struct CurlExamples {
    private var commands: [(method: String, path: String, text: String)] = []

    init(readme: String) {
        var inShell = false
        var pending: String?
        for rawLine in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            if line.hasPrefix("```") {
                inShell = line == "```sh"
                pending = nil
                continue
            }
            guard inShell else { continue }
            let trimmed = line.trimmingLeadingSpaces()
            if let text = pending {
                pending = text + "\n" + line
            } else if trimmed.hasPrefix("curl ") || trimmed.contains("| curl ") {
                pending = trimmed
            }
            if let text = pending, !text.hasSuffix("\\") {
                if let parsed = Self.parse(text) { commands.append((parsed.method, parsed.path, text)) }
                pending = nil
            }
        }
    }

    /// The commands that call `method` on a path matching `pathTemplate` (`{name}` matches one segment).
    func commands(method: String, pathTemplate: String) -> [String] {
        let template = pathTemplate.split(separator: "/", omittingEmptySubsequences: false)
        return commands.filter { command in
            guard command.method == method.uppercased() else { return false }
            let segments = command.path.split(separator: "/", omittingEmptySubsequences: false)
            guard segments.count == template.count else { return false }
            return zip(segments, template).allSatisfy { segment, part in
                part.hasPrefix("{") && part.hasSuffix("}") ? !segment.isEmpty : segment == part
            }
        }.map(\.text)
    }

    private static func parse(_ command: String) -> (method: String, path: String)? {
        guard let scheme = command.firstRange(of: "http://") ?? command.firstRange(of: "https://") else { return nil }
        let afterHost = command[scheme.upperBound...].drop { $0 != "/" && $0 != " " && $0 != "'" }
        let path = String(afterHost.prefix { !" '?\"\n".contains($0) })
        guard path.hasPrefix("/") else { return nil }
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\n" })
        var method: String?
        if let flag = words.firstIndex(of: "-X"), words.index(after: flag) < words.endIndex {
            method = String(words[words.index(after: flag)])
        }
        let getsQuery = words.contains { $0 == "-G" || ($0.hasPrefix("-") && !$0.hasPrefix("--") && $0.contains("G")) }
        let sendsBody = words.contains { $0 == "-d" || $0.hasPrefix("--data") }
        return (method ?? (sendsBody && !getsQuery ? "POST" : "GET"), path)
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> String { String(drop { $0 == " " }) }
}
