import Catalogue
import Dispatch
import EventFormats
import EventStore
import HTTPServer
import JSON
import Logging

/// The item graph's routes: `POST /relations` (one, an array or NDJSON; all or nothing; idempotent by
/// (from, to, type)) and `GET /items/{item}/relations` (paged). Relations reach `pairmf` at the next pass.
struct RelationsAPI: Sendable {
    let store: any EventStore
    let catalogue: Catalogue
    let decoder: RelationDecoder
    let maxJSONDepth: Int
    let logger: Logger
    /// Writes wait for the store's writer; they run here, not on the I/O threads.
    let queue: DispatchQueue

    /// Adds the routes; `gated` puts a handler behind the credential checks of an access level.
    func register(in router: inout Router, gated: (RequestGate.Access, @escaping Router.Handler) -> Router.Handler) {
        router.add("POST", "/relations", execution: .queue(queue), gated(.api) { request in try postRelations(request) })
        router.add("GET", "/items/{item}/relations", gated(.api) { request in try listRelations(request) })
        router.checkOptions("/items/{item}/relations") { request in
            try API.checkIdentifier(request.pathParameters["item", default: ""], name: "item")
        }
    }

    private func postRelations(_ request: HTTPRequest) throws -> HTTPResponse {
        try API.parameters(of: request, allowed: [])
        let values = try RequestBody.batch(of: request, maxJSONDepth: maxJSONDepth)
        let relations: [Relation]
        do {
            relations = try decoder.relations(values)
        } catch {
            switch error {
            case .batchTooLarge(let count, let limit):
                throw APIError(status: .contentTooLarge, code: "payload_too_large", message: "\(count) relations; a batch holds at most \(limit)")
            case .invalidRecords(let issues):
                throw APIError(status: .badRequest, code: "invalid_relations",
                               message: "\(issues.count) problem(s) in the relations; nothing was stored",
                               details: issues.map(CatalogueAPI.issueJSON))
            }
        }
        let result: RelationWriteResult
        do {
            result = try store.writeRelations(relations)
        } catch {
            logger.error("relations not stored", metadata: ["error": "\(error)", "count": "\(relations.count)"])
            throw APIError(status: error.isTransient ? .serviceUnavailable : .internalServerError, code: "store_unavailable",
                           message: "the relations were not stored: \(error.code); retry later", headers: HTTPHeaders([("retry-after", "1")]))
        }
        return .json(.ok, Array(#"{"accepted":\#(result.accepted),"unchanged":\#(result.unchanged)}"#.utf8))
    }

    /// One page of the item's relations (`direction=out`, the default: those from the item; `in`: those to it),
    /// sorted by the other item; relations with a deleted item are left out.
    private func listRelations(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = request.pathParameters["item", default: ""]
        try API.checkIdentifier(id, name: "item")
        let query = try API.parameters(of: request, allowed: ["direction", "cursor", "limit"])
        var direction = RelationDirection.outgoing
        if let text = query["direction"] {
            guard let value = RelationDirection(rawValue: text) else { throw APIError.badRequest("direction must be out or in") }
            direction = value
        }
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(text), (1...1000).contains(value) else { throw APIError.badRequest("limit must be an integer from 1 to 1000") }
            limit = value
        }
        var offset = 0
        if let cursor = query["cursor"] {
            // A cursor is the position of the next relation in the item's sorted list.
            guard (1...10).contains(cursor.utf8.count), cursor.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(cursor)
            else { throw APIError.badRequest("cursor is not one this server gave out") }
            offset = value
        }
        guard let index = store.itemIndex(id), !catalogue.isDeleted(item: index) else {
            throw APIError(status: .notFound, code: "unknown_item", message: "item \(id) is not known")
        }
        let all = store.relations(ofItem: index, direction: direction).filter {
            !catalogue.isDeleted(item: direction == .outgoing ? $0.to : $0.from)
        }
        let page = all.dropFirst(offset).prefix(limit)
        var json = JSONWriter()
        json.beginObject()
        json.key("item"); json.string(id)
        json.key("direction"); json.string(direction.rawValue)
        json.key("relations")
        json.beginArray()
        for relation in page {
            json.beginObject()
            json.key("from"); json.string(store.itemID(at: relation.from) ?? "")
            json.key("to"); json.string(store.itemID(at: relation.to) ?? "")
            json.key("type"); json.string(relation.type)
            json.key("weight"); json.number(relation.weight)
            json.endObject()
        }
        json.endArray()
        json.key("cursor")
        if offset + page.count < all.count { json.string(String(offset + page.count)) } else { json.null() }
        json.endObject()
        return .json(.ok, json.bytes)
    }
}
