import Markup
/// One section of a report page: a heading and its HTML (charts, tables, text), already escaped. A page is a list
/// of sections, so a new kind of result (a rating task's per-fold RMSE, say) is one more function returning one.
package struct ReportSection: Sendable {
    /// The fragment id, unique in the page.
    package var id: String
    package var heading: String
    /// The body, trusted HTML built from escaped parts.
    package var body: String

    /// A section.
    package init(id: String, heading: String, body: String) {
        self.id = id
        self.heading = heading
        self.body = body
    }

    /// The `<section>` element.
    package var html: String {
        "<section id=\"\(escapeMarkup(id))\"><h2>\(escapeMarkup(heading))</h2>\(body)</section>"
    }

    /// A `<figure>` holding a chart's SVG, captioned; `chart` names it for tests and styles.
    package static func figure(chart: String, svg: String, caption: String) -> String {
        "<figure data-chart=\"\(escapeMarkup(chart))\">\(svg)<figcaption>\(escapeMarkup(caption))</figcaption></figure>"
    }

    /// The "Split and command" section every report ends with: `facts` as a definition list (values as code),
    /// then `details` (trusted HTML, e.g. a table of folds), then the command line quoted so a shell reads it back.
    package static func splitAndCommand(facts: [(String, String)], details: String = "", commandLine: [String]) -> ReportSection {
        let list = facts.map { "<dt>\(escapeMarkup($0.0))</dt><dd><code>\(escapeMarkup($0.1))</code></dd>" }.joined()
        return ReportSection(
            id: "split", heading: "Split and command",
            body: "<dl>\(list)</dl>\(details)<p>Made by:</p><pre><code>\(escapeMarkup(shellQuoted(commandLine)))</code></pre>")
    }
}
