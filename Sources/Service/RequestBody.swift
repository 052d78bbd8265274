import Configuration
import HTTPServer
import JSON

/// Reading JSON request bodies the batch routes share (`POST /items`, `POST /relations`).
enum RequestBody {
    /// A batch body: a JSON array of entries or one entry per line (`application/x-ndjson`).
    static func batch(of request: HTTPRequest, maxJSONDepth: Int) throws(APIError) -> [JSONValue] {
        let mediaType = try mediaType(of: request)
        switch mediaType {
        case "application/json":
            let value: JSONValue
            do { value = try JSONValue.parse(request.body, maxDepth: maxJSONDepth) } catch {
                throw APIError.badRequest("the body is not valid JSON: \(error)", code: "invalid_json")
            }
            if case .array(let elements) = value { return elements }
            return [value]
        case "application/x-ndjson", "application/jsonl", "application/ndjson":
            var values: [JSONValue] = []
            for (number, line) in request.body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            where !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                do { values.append(try JSONValue.parse(line, maxDepth: maxJSONDepth)) } catch {
                    throw APIError.badRequest("line \(number + 1) is not valid JSON: \(error)", code: "invalid_json")
                }
            }
            return values
        default:
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type", message: "send application/json or application/x-ndjson")
        }
    }

    /// The body's media type, lowercased without parameters; `411` when the request declares no body.
    static func mediaType(of request: HTTPRequest) throws(APIError) -> String {
        guard request.declaresBody else {
            throw APIError(status: .lengthRequired, code: "length_required", message: "send the record with Content-Length or chunked Transfer-Encoding")
        }
        return request.headers["content-type"]?.split(separator: ";").first?.trimmingCharacters(in: " \t").lowercased() ?? ""
    }
}
