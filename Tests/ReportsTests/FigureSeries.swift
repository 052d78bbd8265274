import Foundation

/// Reads a report's HTML the way the browser tests read the DOM, for tests that need no browser: the series of
/// one `<figure data-chart="…">`, as (name, points) from each `<g class="series" data-series="…" data-points="n">`.
enum FigureSeries {
    struct Series: Equatable, CustomStringConvertible {
        let name: String
        let points: Int
        var description: String { "\(name)×\(points)" }
    }

    /// The series of the figure named `chart` (its `data-series` still escaped), or nil when there is no such figure.
    static func of(chart: String, in html: String) -> [Series]? {
        guard let start = html.range(of: "<figure data-chart=\"\(chart)\">") else { return nil }
        let figure = html[start.upperBound...]
        let body = figure[..<(figure.range(of: "</figure>")?.lowerBound ?? figure.endIndex)]
        let pattern = /<g class="series" data-series="([^"]*)" data-points="([0-9]+)">/
        return body.matches(of: pattern).map { Series(name: String($0.output.1), points: Int($0.output.2)!) }
    }
}
