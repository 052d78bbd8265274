import Foundation
import FoundationXML
import Reports
import Testing

struct ChartTests {
    private let series = [
        ChartSeries(name: "pop", points: [(10, 0.0215), (20, 0.0294)], colour: Palette.colour(at: 0)),
        ChartSeries(name: "als", points: [(10, 0.0275), (20, 0.0427)], colour: Palette.colour(at: 1)),
    ]

    @Test func lineChartDrawsOnePathAndOneMarkerPerPointForEverySeries() throws {
        let svg = LineChart(id: "ndcg", title: "NDCG", xTitle: "k", yTitle: "NDCG", series: series).svg
        let elements = try SVGElements(svg)
        #expect(elements.series == ["pop": 2, "als": 2])
        #expect(elements.count("path") == 2)
        #expect(elements.count("circle") == 4)
        #expect(elements.legendEntries == ["pop", "als"])
    }

    @Test func scatterChartPlacesOneMarkerPerPointOnALogAxis() throws {
        let points = [ChartSeries(name: "pop", points: [(0.003, 0.02)], colour: "#000"),
                      ChartSeries(name: "bpr", points: [(200, 0.04)], colour: "#111")]
        let chart = ScatterChart(id: "fit", title: "fit", xTitle: "s", yTitle: "NDCG", series: points,
                                 xScale: LogScale(covering: [0.003, 200]))
        let elements = try SVGElements(chart.svg)
        #expect(elements.series == ["pop": 1, "bpr": 1])
        #expect(elements.circles.first?.x ?? 0 < elements.circles.last?.x ?? 0)
    }

    @Test func barChartDrawsOneBarPerEntryWithLengthProportionalToValue() throws {
        let chart = BarChart(id: "pct", title: "pct", valueTitle: "%", bars: [
            .init(name: "pop", value: 100, colour: "#000"), .init(name: "als", value: 50, colour: "#111"),
        ], scale: LinearScale(covering: [0, 100]))
        let elements = try SVGElements(chart.svg)
        #expect(elements.count("rect") == 2)
        let widths = elements.rectWidths
        #expect(abs(widths[0] / widths[1] - 2) < 0.02)
    }

    @Test func chartsAreWellFormedXMLAndKeepTheirViewBoxAspect() throws {
        let svg = LineChart(id: "r", title: "Recall & <more>", xTitle: "k", yTitle: "recall", series: series).svg
        let elements = try SVGElements(svg)
        #expect(elements.title == "Recall & <more>")
        #expect(svg.contains("viewBox=\"0 0 440 "))
    }
}

/// What a chart's SVG holds, read with an XML parser (so a chart that is not well-formed fails the test).
private final class SVGElements: NSObject, XMLParserDelegate {
    private var counts: [String: Int] = [:]
    private(set) var series: [String: Int] = [:]
    private(set) var legendEntries: [String] = []
    private(set) var circles: [(x: Double, y: Double)] = []
    private(set) var rectWidths: [Double] = []
    private(set) var title = ""
    private var inTitle = false
    private var depthOfTitle = 0

    init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
    }

    func count(_ element: String) -> Int { counts[element, default: 0] }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
        if name == "g", attributes["class"] == "series", let series = attributes["data-series"] {
            self.series[series] = Int(attributes["data-points"] ?? "")
        }
        if name == "g", attributes["class"] == "legend-entry", let entry = attributes["data-series"] {
            legendEntries.append(entry)
        }
        if name == "circle" { circles.append((Double(attributes["cx"] ?? "") ?? 0, Double(attributes["cy"] ?? "") ?? 0)) }
        if name == "rect", attributes["height"] != "10" { rectWidths.append(Double(attributes["width"] ?? "") ?? 0) }
        if name == "title" && counts["title"] == 1 { inTitle = true }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title" { inTitle = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inTitle { title += string }
    }
}
