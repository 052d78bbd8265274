import Markup
/// A horizontal bar chart: one bar per entry, its name at the left and its value at the bar's end; reads well on
/// narrow screens. Each entry is a `<g class="series" data-series="…" data-points="1">` holding one `<rect>`.
package struct BarChart: Sendable {
    /// One bar.
    package struct Bar: Sendable {
        package var name: String
        package var value: Double
        package var colour: String

        /// A bar.
        package init(name: String, value: Double, colour: String) {
            self.name = name
            self.value = value
            self.colour = colour
        }
    }

    package var id: String
    package var title: String
    /// The value axis's title.
    package var valueTitle: String
    package var bars: [Bar]
    /// The value axis; nil fits a linear one from zero to the largest value.
    package var scale: (any ChartScale)?

    /// A chart.
    package init(id: String, title: String, valueTitle: String, bars: [Bar], scale: (any ChartScale)? = nil) {
        self.id = id
        self.title = title
        self.valueTitle = valueTitle
        self.bars = bars
        self.scale = scale
    }

    /// The `<svg>` element.
    package var svg: String {
        let band = 26.0
        let nameWidth = min(200, 16 + Double(bars.map(\.name.count).max() ?? 0) * ChartFrame.fontSize * 0.6)
        let frame = ChartFrame(
            x: scale ?? LinearScale(covering: bars.map(\.value), includingZero: true),
            y: LinearScale(covering: [0, 1]), xTitle: valueTitle, yTitle: "",
            plotHeight: max(band, band * Double(bars.count)), left: max(56, nameWidth), legend: [])
        var svg = frame.open(id: id, title: title)
        svg += "<g class=\"axes\" fill=\"#333\">"
        for tick in frame.x.ticks {
            let across = frame.point(x: tick, y: 0).x
            svg += "<line x1=\"\(across.svg)\" x2=\"\(across.svg)\" y1=\"\(frame.plot.top.svg)\" "
                + "y2=\"\((frame.plot.bottom + 5).svg)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(across.svg)\" y=\"\((frame.plot.bottom + 19).svg)\" text-anchor=\"middle\">"
                + "\(escapeMarkup(frame.x.label(for: tick)))</text>"
        }
        svg += "<text x=\"\(((frame.plot.left + frame.plot.right) / 2).svg)\" y=\"\((frame.plot.bottom + 38).svg)\" "
            + "text-anchor=\"middle\">\(escapeMarkup(valueTitle))</text></g>"
        for (index, bar) in bars.enumerated() {
            let top = frame.plot.top + Double(index) * band + 4
            let end = frame.point(x: bar.value, y: 0).x
            svg += "<g class=\"series\" data-series=\"\(escapeMarkup(bar.name))\" data-points=\"1\">"
            svg += "<text x=\"\((frame.plot.left - 6).svg)\" y=\"\((top + 13).svg)\" text-anchor=\"end\">"
                + "\(escapeMarkup(bar.name))</text>"
            svg += "<rect x=\"\(frame.plot.left.svg)\" y=\"\(top.svg)\" width=\"\(max(end - frame.plot.left, 1).svg)\" "
                + "height=\"\((band - 8).svg)\" fill=\"\(bar.colour)\"><title>\(escapeMarkup(bar.name)): "
                + "\(formatSignificant(bar.value))</title></rect>"
            let inside = end > frame.plot.right - 60
            svg += "<text x=\"\((inside ? end - 4 : end + 4).svg)\" y=\"\((top + 13).svg)\" "
                + "text-anchor=\"\(inside ? "end" : "start")\" fill=\"\(inside ? "#fff" : "#333")\">"
                + "\(formatSignificant(bar.value, significant: 3))</text>"
            svg += "</g>"
        }
        return svg + "</svg>"
    }
}
