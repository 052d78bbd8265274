import Markup
/// The plot area of a chart, its axes with ticks, grid lines and titles, and the legend under it. Charts draw
/// their marks inside ``plot`` through ``point(x:y:)``.
struct ChartFrame {
    /// The SVG's width in user units (it scales to its container).
    static let width = 440.0
    static let fontSize = 12.0

    let x: any ChartScale
    let y: any ChartScale
    let xTitle: String
    let yTitle: String
    /// Left, top, right and bottom edges of the plot area.
    let plot: (left: Double, top: Double, right: Double, bottom: Double)
    /// Legend entries, laid out in rows under the x axis title.
    let legend: [(name: String, colour: String)]

    init(
        x: any ChartScale, y: any ChartScale, xTitle: String, yTitle: String, plotHeight: Double = 200,
        left: Double = 56, legend: [(name: String, colour: String)]
    ) {
        self.x = x
        self.y = y
        self.xTitle = xTitle
        self.yTitle = yTitle
        plot = (left, 12, Self.width - 16, 12 + plotHeight)
        self.legend = legend
    }

    /// The frame of a chart of `series` points: x on `xScale` (linear over the points when nil), y linear over
    /// the points (from zero when `yFromZero`), one legend entry per series.
    init(series: [ChartSeries], xScale: (any ChartScale)?, yFromZero: Bool, xTitle: String, yTitle: String) {
        let points = series.flatMap(\.points)
        self.init(
            x: xScale ?? LinearScale(covering: points.map(\.x)),
            y: LinearScale(covering: points.map(\.y), includingZero: yFromZero), xTitle: xTitle, yTitle: yTitle,
            legend: series.map { ($0.name, $0.colour) })
    }

    /// The total height: plot, tick labels, axis title and legend rows.
    var height: Double { plot.bottom + 44 + Double(legendRows.count) * 22 + (legend.isEmpty ? 0 : 12) }

    /// Pixel coordinates of a data point.
    func point(x value: Double, y other: Double) -> (x: Double, y: Double) {
        (plot.left + x.fraction(of: value) * (plot.right - plot.left),
         plot.bottom - y.fraction(of: other) * (plot.bottom - plot.top))
    }

    /// The opening `<svg>` element with its accessible title.
    func open(id: String, title: String) -> String {
        "<svg class=\"chart\" id=\"\(escapeMarkup(id))\" viewBox=\"0 0 \(Self.width.svg) \(height.svg)\" "
            + "role=\"img\" aria-labelledby=\"\(escapeMarkup(id))-title\" font-size=\"\(Self.fontSize.svg)\">"
            + "<title id=\"\(escapeMarkup(id))-title\">\(escapeMarkup(title))</title>"
    }

    /// Grid lines, tick labels and axis titles.
    var axes: String {
        var svg = "<g class=\"axes\" fill=\"#333\">"
        for tick in y.ticks {
            let level = point(x: x.domain.lowerBound, y: tick).y
            svg += "<line x1=\"\(plot.left.svg)\" x2=\"\(plot.right.svg)\" y1=\"\(level.svg)\" y2=\"\(level.svg)\" "
                + "stroke=\"#ddd\"/>"
            svg += "<text x=\"\((plot.left - 6).svg)\" y=\"\((level + 4).svg)\" text-anchor=\"end\">"
                + "\(escapeMarkup(y.label(for: tick)))</text>"
        }
        for tick in x.ticks {
            let across = point(x: tick, y: y.domain.lowerBound).x
            svg += "<line x1=\"\(across.svg)\" x2=\"\(across.svg)\" y1=\"\(plot.bottom.svg)\" "
                + "y2=\"\((plot.bottom + 5).svg)\" stroke=\"#666\"/>"
            svg += "<text x=\"\(across.svg)\" y=\"\((plot.bottom + 19).svg)\" text-anchor=\"middle\">"
                + "\(escapeMarkup(x.label(for: tick)))</text>"
        }
        svg += "<line x1=\"\(plot.left.svg)\" x2=\"\(plot.right.svg)\" y1=\"\(plot.bottom.svg)\" "
            + "y2=\"\(plot.bottom.svg)\" stroke=\"#666\"/>"
        svg += "<text x=\"\(((plot.left + plot.right) / 2).svg)\" y=\"\((plot.bottom + 38).svg)\" "
            + "text-anchor=\"middle\">\(escapeMarkup(xTitle))</text>"
        let middle = (plot.top + plot.bottom) / 2
        svg += "<text transform=\"translate(14 \(middle.svg)) rotate(-90)\" text-anchor=\"middle\">"
            + "\(escapeMarkup(yTitle))</text>"
        return svg + "</g>"
    }

    /// The legend: a swatch and a name per series, wrapped into rows of the chart's width.
    var legendMarkup: String {
        guard !legend.isEmpty else { return "" }
        var svg = "<g class=\"legend\">"
        for (row, entries) in legendRows.enumerated() {
            let top = plot.bottom + 58 + Double(row) * 22
            for entry in entries {
                svg += "<g class=\"legend-entry\" data-series=\"\(escapeMarkup(entry.name))\">"
                svg += "<rect x=\"\(entry.x.svg)\" y=\"\((top - 10).svg)\" width=\"14\" height=\"10\" "
                    + "fill=\"\(entry.colour)\"/>"
                svg += "<text x=\"\((entry.x + 19).svg)\" y=\"\(top.svg)\">\(escapeMarkup(entry.name))</text></g>"
            }
        }
        return svg + "</g>"
    }

    /// Legend entries with their left edge, grouped into rows that fit the chart's width.
    private var legendRows: [[(name: String, colour: String, x: Double)]] {
        var rows: [[(name: String, colour: String, x: Double)]] = []
        var row: [(name: String, colour: String, x: Double)] = []
        var cursor = plot.left
        for entry in legend {
            let width = 19 + Double(entry.name.count) * Self.fontSize * 0.6 + 18
            if !row.isEmpty && cursor + width > plot.right {
                rows.append(row)
                row = []
                cursor = plot.left
            }
            row.append((entry.name, entry.colour, cursor))
            cursor += width
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }
}

extension Double {
    /// A coordinate with at most one decimal, as SVG attributes take it.
    var svg: String {
        let text = formatNumber(self, decimals: 1)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
