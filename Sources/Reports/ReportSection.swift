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
}
