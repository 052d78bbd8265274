import EventFormats
import Filtering
import HTTPServer

/// The query parameters of one admin request, checked: a name the route does not take is refused, as in the API.
struct AdminQuery {
    private var values: [String: String] = [:]

    init(_ request: HTTPRequest, allowed: Set<String>) throws(DashboardError) {
        let items: [(name: String, value: String)]
        do {
            items = try request.queryItems()
        } catch {
            throw .badRequest("the query string is not valid percent-encoding")
        }
        for item in items {
            guard allowed.contains(item.name) else {
                throw .badRequest("unknown query parameter \(item.name.prefix(64)); this route takes \(allowed.sorted().joined(separator: ", "))",
                                  code: "unknown_parameter")
            }
            guard values[item.name] == nil else { throw .badRequest("query parameter \(item.name) given twice") }
            values[item.name] = item.value
        }
    }

    subscript(name: String) -> String? { values[name] }

    /// An integer parameter within `range`, `fallback` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(DashboardError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The parsed `filter`, nil when absent; a syntax error is `400 invalid_filter` with its position.
    func filter() throws(DashboardError) -> FilterExpression? {
        guard let text = values["filter"] else { return nil }
        do {
            return try FilterParser.parse(text)
        } catch {
            throw .badRequest("filter: \(error.description)", code: "invalid_filter")
        }
    }

    /// A path id, checked as ids in events are (``IdentifierRule``).
    static func identifier(_ request: HTTPRequest, _ name: String) throws(DashboardError) -> String {
        let id = request.pathParameters[name, default: ""]
        if let violation = IdentifierRule.violation(of: id, maxBytes: 256) {
            throw .badRequest("\(name) id \(IdentifierRule.message(violation))")
        }
        return id
    }
}
