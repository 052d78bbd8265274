import Markup
/// A complete, self-contained HTML document: inline CSS, no script, no external resource, and a Content Security
/// Policy that forbids both, so the file opens offline and any markup that slipped into it cannot run or fetch.
package struct HTMLPage: Sendable {
    package var title: String
    /// Trusted HTML shown above the sections.
    package var header: String
    package var sections: [ReportSection]

    /// A page.
    package init(title: String, header: String, sections: [ReportSection]) {
        self.title = title
        self.header = header
        self.sections = sections
    }

    /// The document.
    package var html: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(escapeMarkup(title))</title>
        <style>\(Self.style)</style></head>
        <body><header><h1>\(escapeMarkup(title))</h1>\(header)</header>
        <nav><ul>\(sections.map { "<li><a href=\"#\(escapeMarkup($0.id))\">\(escapeMarkup($0.heading))</a></li>" }.joined())</ul></nav>
        <main>\(sections.map(\.html).joined(separator: "\n"))</main>
        </body></html>

        """
    }

    /// Readable from a phone to a wide screen: one column of charts below 900 px, two above.
    package static let style = """
        :root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;\
        background:#fff;line-height:1.45}
        body{margin:0 auto;max-width:1200px;padding:0 12px 48px}
        h1{font-size:1.5rem;margin:16px 0 4px}h2{font-size:1.2rem;margin:32px 0 8px;border-bottom:1px solid #ddd}
        nav ul{display:flex;flex-wrap:wrap;gap:4px 16px;padding:0;list-style:none;margin:8px 0}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,400px),1fr));gap:16px}
        figure{margin:0;min-width:0}figcaption{font-size:.9rem;color:#555;margin-top:4px}
        svg.chart{width:100%;height:auto;display:block}
        .table-scroll{overflow-x:auto;max-width:100%}
        table{border-collapse:collapse;font-size:.9rem;margin:8px 0}caption{text-align:left;color:#555;padding:4px 0}
        th,td{padding:4px 8px;border-bottom:1px solid #eee;white-space:nowrap}td{text-align:right;\
        font-variant-numeric:tabular-nums}thead th{text-align:right}thead th:first-child,tbody th{text-align:left}
        dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px}dt{color:#555}dd{margin:0}
        code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere}
        pre{white-space:pre-wrap;background:#f5f5f5;padding:8px;border-radius:4px}
        """
}
