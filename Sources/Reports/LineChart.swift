import Markup
/// A line chart: one polyline per series with a marker at every point, on linear or logarithmic axes.
/// Each series is a `<g class="series" data-series="…" data-points="n">` holding one `<path>` and n `<circle>`s.
package struct LineChart: Sendable {
    /// The element id, unique in the page.
    package var id: String
    /// The accessible title (also the figure's caption).
    package var title: String
    package var xTitle: String
    package var yTitle: String
    package var series: [ChartSeries]
    /// The x axis; nil fits a linear one to the data.
    package var xScale: (any ChartScale)?
    /// Whether the y axis starts at zero (rates); otherwise it fits the data (losses).
    package var yFromZero: Bool

    /// A chart.
    package init(
        id: String, title: String, xTitle: String, yTitle: String, series: [ChartSeries],
        xScale: (any ChartScale)? = nil, yFromZero: Bool = true
    ) {
        self.id = id
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
        self.xScale = xScale
        self.yFromZero = yFromZero
    }

    /// The `<svg>` element.
    package var svg: String {
        let frame = ChartFrame(series: series, xScale: xScale, yFromZero: yFromZero, xTitle: xTitle, yTitle: yTitle)
        var svg = frame.open(id: id, title: title) + frame.axes
        for line in series {
            let placed = line.points.map { frame.point(x: $0.x, y: $0.y) }
            svg += "<g class=\"series\" data-series=\"\(escapeMarkup(line.name))\" data-points=\"\(line.points.count)\">"
            let path = placed.enumerated().map { "\($0.offset == 0 ? "M" : "L")\($0.element.x.svg) \($0.element.y.svg)" }
            svg += "<path d=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"2\"/>"
            for (point, value) in zip(placed, line.points) {
                svg += "<circle cx=\"\(point.x.svg)\" cy=\"\(point.y.svg)\" r=\"3.5\" fill=\"\(line.colour)\">"
                    + "<title>\(escapeMarkup(line.name)): \(escapeMarkup(frame.x.label(for: value.x))) → "
                    + "\(formatSignificant(value.y))</title></circle>"
            }
            svg += "</g>"
        }
        return svg + frame.legendMarkup + "</svg>"
    }
}
