import Evaluation
import JSON

/// One step of a path into a JSON value: an object member's key or an array index.
enum JSONStep: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)

    init(stringLiteral key: String) { self = .key(key) }
    init(integerLiteral index: Int) { self = .index(index) }
}

extension JSONValue {
    /// This value with the member or element at `path` replaced by `replacement`, removed when it is nil; a member
    /// that is not there is appended.
    func replacing(_ path: [JSONStep], with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? self }
        let rest = Array(path.dropFirst())
        switch (self, step) {
        case (.object(var members), .key(let key)):
            guard let position = members.firstIndex(where: { $0.key == key }) else {
                precondition(rest.isEmpty, "no member \(key) to descend into")
                if let replacement { members.append((key, replacement)) }
                return .object(members)
            }
            if rest.isEmpty && replacement == nil {
                members.remove(at: position)
            } else {
                members[position].value = members[position].value.replacing(rest, with: replacement)
            }
            return .object(members)
        case (.array(var elements), .index(let position)):
            if rest.isEmpty && replacement == nil {
                elements.remove(at: position)
            } else {
                elements[position] = elements[position].replacing(rest, with: replacement)
            }
            return .array(elements)
        default:
            preconditionFailure("\(step) does not fit \(self)")
        }
    }
}

extension AnyEvaluationReport {
    /// The JSON of the report held, whichever its task.
    var json: JSONValue {
        switch self {
        case let .ranking(report): report.json
        case let .rating(report): report.json
        case let .pairs(report): report.json
        }
    }

    /// Reads `json` back from its text, as the dashboard reads an uploaded file.
    static func reading(_ json: JSONValue, maxDepth: Int = 16) throws(ReportDecodingError) -> AnyEvaluationReport {
        try AnyEvaluationReport(jsonText: Array(json.serialized().utf8), maxDepth: maxDepth)
    }
}
