import Catalogue
import Configuration
import Dispatch
import EventFormats
import EventStore
import HTTPServer
import JSON
import Locking
import Logging
import Serving

/// The catalogue's routes (CONTRACT.md "Catalogue"): item and user records, deletion and erasure.
///
/// Every write is validated whole, committed by the store, and applied to the in-memory catalogue before the
/// response, so from the response on every answer reflects it (a hidden or deleted item is in none).
struct CatalogueAPI: Sendable {
    let store: any EventStore
    let catalogue: Catalogue
    /// Updated after every item write, so `content` scores a new record before the write is acknowledged.
    let content: LiveContent?
    let decoder: RecordDecoder
    let maxJSONDepth: Int
    let logger: Logger
    /// Hands the lists served so far to the store, so an erasure deletes the ones served to the user too.
    let flushServedLists: @Sendable () -> Void
    /// Writes wait for the store's writer; they run here, not on the I/O threads.
    let queue: DispatchQueue
    /// Record writes run one at a time, so a PATCH's read, merge and write see no other write land in between (two
    /// concurrent patches of one record both count). The store serialises its transactions anyway, so this costs
    /// no throughput.
    private let writes = Lock(())

    /// Adds the routes; `gated` puts a handler behind the credential checks of an access level.
    func register(in router: inout Router, gated: (RequestGate.Access, @escaping Router.Handler) -> Router.Handler) {
        let execution = Router.Execution.queue(queue)
        let writes = writes
        // A write handler, run under `writes`.
        func serialized(_ handler: @escaping Router.Handler) -> Router.Handler {
            { request in try writes.withLock { _ in try handler(request) } }
        }
        router.add("PUT", "/items/{item}", execution: execution, gated(.api, serialized { request in try putItem(request) }))
        router.add("PATCH", "/items/{item}", execution: execution, gated(.api, serialized { request in try patchItem(request) }))
        router.add("GET", "/items/{item}", gated(.api) { request in try getItem(request) })
        router.add("DELETE", "/items/{item}", execution: execution, gated(.api, serialized { request in try deleteItem(request) }))
        router.add("GET", "/items", gated(.api) { request in try listItems(request) })
        router.add("POST", "/items", execution: execution, gated(.api, serialized { request in try postItems(request) }))
        router.add("PUT", "/users/{user}", execution: execution, gated(.api, serialized { request in try putUser(request) }))
        router.add("PATCH", "/users/{user}", execution: execution, gated(.api, serialized { request in try patchUser(request) }))
        router.add("GET", "/users/{user}", gated(.api) { request in try getUser(request) })
        router.add("DELETE", "/users/{user}", execution: execution, gated(.admin, serialized { request in try eraseUser(request) }))
        // OPTIONS refuses the ids the other methods refuse (it is not gated: preflights carry no credentials).
        router.checkOptions("/items/{item}") { request in try API.checkIdentifier(request.pathParameters["item", default: ""], name: "item") }
        router.checkOptions("/users/{user}") { request in try API.checkIdentifier(request.pathParameters["user", default: ""], name: "user") }
    }

    // MARK: - Items

    private func putItem(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "item")
        try API.parameters(of: request, allowed: [])
        let value = try body(request)
        let (_, record) = try decode { () throws(RecordError) in try decoder.itemRecord(value, expectedID: id) }
        let outcome = try write([(id, record)])[0]
        return json(.object([("item", .string(id)), ("created", .bool(outcome.created))]))
    }

    /// A JSON Merge Patch of an item `GET` shows (a deleted or unknown item is `404`: `PUT` creates and restores).
    /// A patch that is invalid on its own is `400`; one whose merged record breaks a limit only because of what
    /// is stored (more than 64 labels in all) is `409`.
    private func patchItem(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "item")
        try API.parameters(of: request, allowed: [])
        let patch = try body(request, mergePatch: true)
        try decode { () throws(RecordError) in try decoder.checkItemPatch(patch, expectedID: id) }
        guard let index = store.itemIndex(id) else { throw Self.unknownItem(id) }
        guard !catalogue.isDeleted(item: index) else { throw Self.deletedItem(id) }
        let current = catalogue.record(ofItem: index)
        guard current != nil || store.eventCount(ofItem: index) > 0 else { throw Self.unknownItem(id) }
        let merged = (current ?? ItemRecord()).json.merging(patch: patch)
        let (_, record) = try decode(merged: true) { () throws(RecordError) in try decoder.itemRecord(merged, expectedID: id) }
        let outcome = try write([(id, record)])[0]
        return json(itemJSON(id: id, record: record, index: outcome.index))
    }

    private func getItem(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "item")
        try API.parameters(of: request, allowed: [])
        guard let index = store.itemIndex(id) else { throw Self.unknownItem(id) }
        guard !catalogue.isDeleted(item: index) else { throw Self.deletedItem(id) }
        let record = catalogue.record(ofItem: index)
        guard record != nil || store.eventCount(ofItem: index) > 0 else { throw Self.unknownItem(id) }
        return json(itemJSON(id: id, record: record ?? ItemRecord(), index: index))
    }

    private func deleteItem(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "item")
        let query = try API.parameters(of: request, allowed: ["purge"])
        let purge: Bool
        switch query["purge"] {
        case nil, "false": purge = false
        case "true": purge = true
        default: throw APIError.badRequest("purge must be true or false")
        }
        if let index = store.itemIndex(id), catalogue.isDeleted(item: index), !purge { throw Self.deletedItem(id) }
        let outcome = try storeCall { () throws(EventStoreError) in
            try store.writeItems([ItemWrite(item: id, action: .delete(purge: purge))])[0]
        }
        guard let index = outcome.index else { throw Self.unknownItem(id) }
        catalogue.apply([(index, .delete)])
        content?.update(items: [index])
        return json(.object([("item", .string(id)), ("deleted", .bool(true)), ("events_deleted", .integer(outcome.eventsDeleted))]))
    }

    private func listItems(_ request: HTTPRequest) throws -> HTTPResponse {
        let query = try API.parameters(of: request, allowed: ["category", "cursor", "limit"])
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(text), (1...1000).contains(value) else { throw APIError.badRequest("limit must be an integer from 1 to 1000") }
            limit = value
        }
        if let category = query["category"], let violation = IdentifierRule.violation(of: category, maxBytes: decoder.limits.maxCategoryBytes) {
            throw APIError.badRequest("category \(IdentifierRule.message(violation))")
        }
        var after: Int32?
        if let cursor = query["cursor"] {
            // A cursor is the last listed item's index in decimal; one beyond every index is simply the end.
            guard (1...10).contains(cursor.utf8.count), cursor.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(cursor)
            else { throw APIError.badRequest("cursor is not one this server gave out") }
            after = Int32(clamping: value)
        }
        let (page, more) = catalogue.records(inCategory: query["category"], after: after, limit: limit)
        let items: [JSONValue] = page.compactMap { entry in
            store.itemID(at: entry.index).map { itemJSON(id: $0, record: entry.record, index: entry.index) }
        }
        let cursor: JSONValue = more ? page.last.map { .string(String($0.index)) } ?? .null : .null
        return json(.object([("items", .array(items)), ("cursor", cursor)]))
    }

    private func postItems(_ request: HTTPRequest) throws -> HTTPResponse {
        try API.parameters(of: request, allowed: [])
        let values = try RequestBody.batch(of: request, maxJSONDepth: maxJSONDepth)
        let records = try decode { () throws(RecordError) in try decoder.itemRecords(values) }
        var seen = Set<String>()
        for (position, entry) in records.enumerated() where !seen.insert(entry.id).inserted {
            throw APIError(status: .badRequest, code: "invalid_records", message: "item \(entry.id) appears twice in the batch; nothing was stored",
                           details: [Self.issueJSON(RecordIssue(index: position, field: "item", message: "appears earlier in the batch"))])
        }
        _ = try write(records)
        return json(.object([("upserted", .integer(records.count))]))
    }

    /// Stores item records and applies them to the catalogue; one outcome per record.
    private func write(_ records: [(id: String, record: ItemRecord)]) throws -> [ItemWriteOutcome] {
        let writes = records.map { ItemWrite(item: $0.id, action: .put(record: $0.record.json.serialized(indent: 0))) }
        let outcomes = try storeCall { () throws(EventStoreError) in try store.writeItems(writes) }
        catalogue.apply(zip(records, outcomes).compactMap { entry, outcome in outcome.index.map { ($0, .put(entry.record)) } })
        content?.update(items: outcomes.compactMap(\.index))
        return outcomes
    }

    private func itemJSON(id: String, record: ItemRecord, index: Int32?) -> JSONValue {
        guard case .object(let fields) = record.json else { return .null }
        return .object([("item", .string(id))] + fields + [("events", .integer(index.map { store.eventCount(ofItem: $0) } ?? 0))])
    }

    // MARK: - Users

    private func putUser(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "user")
        try API.parameters(of: request, allowed: [])
        let value = try body(request)
        let (_, record) = try decode { () throws(RecordError) in try decoder.userRecord(value, expectedID: id) }
        let existing = store.userIndex(id).flatMap { catalogue.record(ofUser: $0) }
        _ = try write(user: id, record: record)
        return json(.object([("user", .string(id)), ("created", .bool(existing == nil))]))
    }

    /// A JSON Merge Patch of a user `GET` shows (an unknown or erased user is `404`; `PUT` creates), checked like
    /// `patchItem`: `400` for a patch invalid on its own, `409` when only the stored labels push it over a limit.
    private func patchUser(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "user")
        try API.parameters(of: request, allowed: [])
        let patch = try body(request, mergePatch: true)
        try decode { () throws(RecordError) in try decoder.checkUserPatch(patch, expectedID: id) }
        guard let index = store.userIndex(id) else { throw Self.unknownUser(id) }
        let current = catalogue.record(ofUser: index)
        guard current != nil || store.eventCount(ofUser: index) > 0 else { throw Self.unknownUser(id) }
        let merged = (current ?? UserRecord()).json.merging(patch: patch)
        let (_, record) = try decode(merged: true) { () throws(RecordError) in try decoder.userRecord(merged, expectedID: id) }
        return json(userJSON(id: id, record: record, index: try write(user: id, record: record)))
    }

    /// Stores a user's record and applies it to the catalogue; the user's index.
    private func write(user id: String, record: UserRecord) throws -> Int32 {
        let index = try storeCall { () throws(EventStoreError) in
            try store.writeUserRecords([(id, record.json.serialized(indent: 0))])[0]
        }
        catalogue.setUser(record, at: index)
        return index
    }

    private func getUser(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "user")
        try API.parameters(of: request, allowed: [])
        guard let index = store.userIndex(id) else { throw Self.unknownUser(id) }
        let record = catalogue.record(ofUser: index)
        guard record != nil || store.eventCount(ofUser: index) > 0 else { throw Self.unknownUser(id) }
        return json(userJSON(id: id, record: record ?? UserRecord(), index: index))
    }

    /// Erasure (admin): the user's events, record and id leave the store and the file; serving forgets them at once.
    private func eraseUser(_ request: HTTPRequest) throws -> HTTPResponse {
        let id = try pathID(request, "user")
        try API.parameters(of: request, allowed: [])
        let index = store.userIndex(id)
        flushServedLists()
        guard let deleted = try storeCall({ () throws(EventStoreError) in try store.eraseUser(id) }) else { throw Self.unknownUser(id) }
        if let index { catalogue.setUser(nil, at: index) }
        logger.notice("erased a user", metadata: ["events_deleted": "\(deleted)"])
        return json(.object([("user", .string(id)), ("events_deleted", .integer(deleted))]))
    }

    private func userJSON(id: String, record: UserRecord, index: Int32) -> JSONValue {
        guard case .object(let fields) = record.json else { return .null }
        return .object([("user", .string(id))] + fields + [("events", .integer(store.eventCount(ofUser: index)))])
    }

    // MARK: - Helpers

    private func pathID(_ request: HTTPRequest, _ name: String) throws(APIError) -> String {
        let id = request.pathParameters[name, default: ""]
        try API.checkIdentifier(id, name: name)
        return id
    }

    /// The body as one JSON value (`application/json`, or for a merge patch also `application/merge-patch+json`).
    private func body(_ request: HTTPRequest, mergePatch: Bool = false) throws(APIError) -> JSONValue {
        let mediaType = try RequestBody.mediaType(of: request)
        guard mediaType == "application/json" || (mergePatch && mediaType == "application/merge-patch+json") else {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: mergePatch ? "send application/merge-patch+json or application/json" : "send application/json")
        }
        do {
            return try JSONValue.parse(request.body, maxDepth: maxJSONDepth)
        } catch {
            throw APIError.badRequest("the body is not valid JSON: \(error)", code: "invalid_json")
        }
    }


    /// Runs record validation, mapping its errors to `400 invalid_records` (or `413` for a batch too large). For
    /// the record a valid merge patch makes (`merged`), the stored record is at fault: `409 patch_conflict`.
    private func decode<Value>(merged: Bool = false, _ body: () throws(RecordError) -> Value) throws(APIError) -> Value {
        do {
            return try body()
        } catch {
            switch error {
            case .batchTooLarge(let count, let limit):
                throw APIError(status: .contentTooLarge, code: "payload_too_large", message: "\(count) records; a batch holds at most \(limit)")
            case .invalidRecords(let issues) where merged:
                throw APIError(status: .conflict, code: "patch_conflict",
                               message: "the patch is valid, but the record it makes is not; nothing was stored",
                               details: issues.map(Self.issueJSON))
            case .invalidRecords(let issues):
                throw APIError(status: .badRequest, code: "invalid_records", message: "\(issues.count) problem(s) in the records; nothing was stored",
                               details: issues.map(Self.issueJSON))
            }
        }
    }

    /// Runs a store call, mapping its failure to `503` (transient) or `500`.
    private func storeCall<Value>(_ body: () throws(EventStoreError) -> Value) throws(APIError) -> Value {
        do {
            return try body()
        } catch {
            logger.error("catalogue write failed", metadata: ["error": "\(error)"])
            throw APIError(status: error.isTransient ? .serviceUnavailable : .internalServerError, code: "store_unavailable",
                           message: "the write was not stored: \(error.code); retry later", headers: HTTPHeaders([("retry-after", "1")]))
        }
    }

    private func json(_ value: JSONValue) -> HTTPResponse {
        .json(.ok, Array(value.serialized(indent: 0).utf8))
    }

    static func issueJSON(_ issue: RecordIssue) -> String {
        var members: [(key: String, value: JSONValue)] = []
        if let index = issue.index { members.append(("index", .integer(index))) }
        members.append(("field", .string(issue.field)))
        members.append(("message", .string(issue.message)))
        return JSONValue.object(members).serialized(indent: 0)
    }

    private static func unknownItem(_ id: String) -> APIError {
        APIError(status: .notFound, code: "unknown_item", message: "item \(id) has no record and no events")
    }

    private static func deletedItem(_ id: String) -> APIError {
        APIError(status: .notFound, code: "unknown_item", message: "item \(id) was deleted; PUT it to bring it back")
    }

    private static func unknownUser(_ id: String) -> APIError {
        APIError(status: .notFound, code: "unknown_user", message: "user \(id) has no record and no events")
    }
}
