import Markup
/// A scatter chart: one labelled marker per series (e.g. a model's fit time against its NDCG).
/// Each series is a `<g class="series" data-series="…" data-points="n">` holding n `<circle>`s and the name.
package struct ScatterChart: Sendable {
    package var id: String
    package var title: String
    package var xTitle: String
    package var yTitle: String
    package var series: [ChartSeries]
    /// The x axis; nil fits a linear one to the data.
    package var xScale: (any ChartScale)?

    /// A chart.
    package init(
        id: String, title: String, xTitle: String, yTitle: String, series: [ChartSeries],
        xScale: (any ChartScale)? = nil
    ) {
        self.id = id
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
        self.xScale = xScale
    }

    /// The `<svg>` element.
    package var svg: String {
        let frame = ChartFrame(series: series, xScale: xScale, yFromZero: true, xTitle: xTitle, yTitle: yTitle)
        var svg = frame.open(id: id, title: title) + frame.axes
        for marker in series {
            svg += "<g class=\"series\" data-series=\"\(escapeMarkup(marker.name))\" data-points=\"\(marker.points.count)\">"
            for value in marker.points {
                let point = frame.point(x: value.x, y: value.y)
                svg += "<circle cx=\"\(point.x.svg)\" cy=\"\(point.y.svg)\" r=\"5\" fill=\"\(marker.colour)\" "
                    + "stroke=\"#fff\"><title>\(escapeMarkup(marker.name)): \(formatSignificant(value.x)), "
                    + "\(formatSignificant(value.y))</title></circle>"
                let anchor = point.x > (frame.plot.left + frame.plot.right) / 2 ? "end" : "start"
                let offset = anchor == "end" ? -8.0 : 8.0
                svg += "<text x=\"\((point.x + offset).svg)\" y=\"\((point.y - 7).svg)\" text-anchor=\"\(anchor)\">"
                    + "\(escapeMarkup(marker.name))</text>"
            }
            svg += "</g>"
        }
        return svg + frame.legendMarkup + "</svg>"
    }
}
