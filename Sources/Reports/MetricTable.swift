import Markup
/// An HTML table of labelled rows (one per model, fold, …) and columns, in a box that scrolls sideways on narrow
/// screens. Cells are escaped.
package struct MetricTable: Sendable {
    /// Column headings; the first heads the row labels.
    package var columns: [String]
    /// Each row's cells, as many as ``columns``.
    package var rows: [[String]]
    /// The table's caption.
    package var caption: String

    /// A table.
    package init(caption: String, columns: [String], rows: [[String]]) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
    }

    /// The `<table>` in its scrolling box; cells after the first are numbers, right-aligned.
    package var html: String {
        var html = "<div class=\"table-scroll\"><table><caption>\(escapeMarkup(caption))</caption><thead><tr>"
        html += columns.map { "<th scope=\"col\">\(escapeMarkup($0))</th>" }.joined()
        html += "</tr></thead><tbody>"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html += index == 0 ? "<th scope=\"row\">\(escapeMarkup(cell))</th>" : "<td>\(escapeMarkup(cell))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table></div>"
    }
}
