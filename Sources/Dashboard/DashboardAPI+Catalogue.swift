import Catalogue
import EventStore
import HTTPServer
import JSON
import Serving

extension DashboardAPI {
    /// Where an item stands for answers, the catalogue page's filter.
    enum ItemState: String, CaseIterable {
        case visible, hidden, scheduled, expired, deleted

        init(record: ItemRecord?, deleted: Bool, at now: Double) {
            if deleted {
                self = .deleted
            } else if let record, record.hidden {
                self = .hidden
            } else if let published = record?.publishedAt, published > now {
                self = .scheduled
            } else if let expires = record?.expiresAt, expires <= now {
                self = .expired
            } else {
                self = .visible
            }
        }
    }

    /// `GET /admin/catalogue?q&state&cursor&limit`: items by index whose id or text contains `q` (ignoring case)
    /// and whose state is `state` (`all` by default), a page at a time, with every state's item count. Scans the
    /// catalogue: milliseconds per hundred thousand items.
    func catalogueSearch(_ request: HTTPRequest) throws -> HTTPResponse {
        let query = try AdminQuery(request, allowed: ["q", "state", "cursor", "limit"])
        let limit = try query.integer("limit", in: 1...500, default: 50)
        let needle = (query["q"] ?? "").lowercased()
        guard (query["q"] ?? "").unicodeScalars.count <= 256 else { throw DashboardError.badRequest("q is longer than 256 characters") }
        var wanted: ItemState?
        if let name = query["state"], name != "all" {
            guard let state = ItemState(rawValue: name) else {
                throw DashboardError.badRequest("state must be all, \(ItemState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            wanted = state
        }
        // A cursor is the next item's index in decimal, as `GET /items` gives out; one past every index is the end.
        var start = 0
        if let cursor = query["cursor"] {
            guard (1...10).contains(cursor.utf8.count), cursor.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(cursor) else {
                throw DashboardError.badRequest("cursor is not one this server gave out")
            }
            start = value
        }
        let now = serving.clock()
        let records = catalogue.allRecords()
        var counts = [ItemState: Int]()
        var page: [(index: Int32, id: String, state: ItemState, record: ItemRecord?)] = []
        var next: Int?
        for index in 0..<store.itemCount {
            let record = index < records.count ? records[index] : nil
            let state = ItemState(record: record, deleted: catalogue.isDeleted(item: Int32(index)), at: now)
            counts[state, default: 0] += 1
            guard index >= start, next == nil, wanted == nil || wanted == state, let id = store.itemID(at: Int32(index)) else { continue }
            guard needle.isEmpty || id.lowercased().contains(needle) || (record?.text.lowercased().contains(needle) ?? false) else { continue }
            if page.count == limit {
                next = index
            } else {
                page.append((Int32(index), id, state, record))
            }
        }
        var json = JSONWriter(capacity: 4096 + page.count * 256)
        json.beginObject()
        json.key("counts")
        json.beginObject()
        for state in ItemState.allCases { json.key(state.rawValue); json.int(counts[state, default: 0]) }
        json.endObject()
        json.key("items")
        json.beginArray()
        for entry in page {
            json.beginObject()
            json.key("item"); json.string(entry.id)
            json.key("state"); json.string(entry.state.rawValue)
            json.key("events"); json.int(store.eventCount(ofItem: entry.index))
            json.key("record")
            if let record = entry.record { json.raw(record.json.serialized(indent: 0)) } else { json.null() }
            json.endObject()
        }
        json.endArray()
        json.key("cursor")
        if let next { json.string(String(next)) } else { json.null() }
        json.endObject()
        return Self.respond(json)
    }
}
