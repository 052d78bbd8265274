import Catalogue
import EventFormats
import EventStore
import HTTPServer
import JSON
import Models
import Serving

extension DashboardAPI {
    /// Events the user page lists at most (newest first).
    static let historyLimit = 1000

    /// `GET /admin/users/{user}?k&filter&limit`: the user's record, latest stored events (newest event time first) and
    /// the answer of every model the service serves, side by side, each as `GET …/recommendations?model=` gives it.
    /// An unknown user is not an error: the answers are what a new user gets.
    func user(_ request: HTTPRequest) throws -> HTTPResponse {
        let user = try AdminQuery.identifier(request, "user")
        let query = try AdminQuery(request, allowed: ["k", "filter", "limit"])
        let count = try query.integer("k", in: 1...100, default: 10)
        let limit = try query.integer("limit", in: 1...Self.historyLimit, default: 50)
        let filter = try query.filter()
        let index = store.userIndex(user)
        // The latest stored events, shown by event time (they mostly arrive in that order anyway).
        let history = try (index.map { try store.latestEvents(ofUser: $0, limit: limit) } ?? []).enumerated()
            .sorted { ($0.element.timestamp, -$0.offset) > ($1.element.timestamp, -$1.offset) }.map(\.element)
        var json = JSONWriter(capacity: 16384)
        json.beginObject()
        json.key("user"); json.string(user)
        json.key("known"); json.bool(index != nil)
        json.key("events"); json.int(index.map { store.eventCount(ofUser: $0) } ?? 0)
        json.key("record")
        if let record = index.flatMap({ catalogue.record(ofUser: $0) }) { json.raw(record.json.serialized(indent: 0)) } else { json.null() }
        json.key("history")
        json.beginArray()
        for event in history {
            json.beginObject()
            json.key("item"); json.string(store.itemID(at: event.item) ?? "")
            json.key("type"); json.string(event.type)
            json.key("weight"); json.number(event.weight)
            json.key("timestamp"); json.string(RFC3339.format(event.timestamp))
            json.endObject()
        }
        json.endArray()
        json.key("recommendations")
        json.beginArray()
        for model in servedModels {
            Self.write(model: model, into: &json) { () throws(Serving.Failure) in
                try serving.recommend(user: user, count: count, model: model, excluding: [], filter: filter)
            }
        }
        json.endArray()
        json.endObject()
        return Self.respond(json)
    }

    /// `GET /admin/items/{item}?k&filter`: the item's record, its events per day and the similar items of every
    /// model that has item vectors, each as `GET /items/{item}/similar?model=` gives it.
    func item(_ request: HTTPRequest) throws -> HTTPResponse {
        let item = try AdminQuery.identifier(request, "item")
        let query = try AdminQuery(request, allowed: ["k", "filter"])
        let count = try query.integer("k", in: 1...100, default: 10)
        let filter = try query.filter()
        let index = store.itemIndex(item)
        let days = try index.map { try store.eventsPerDay(ofItem: $0) } ?? []
        var json = JSONWriter(capacity: 16384)
        json.beginObject()
        json.key("item"); json.string(item)
        json.key("known"); json.bool(index != nil)
        json.key("deleted"); json.bool(index.map { catalogue.isDeleted(item: $0) } ?? false)
        json.key("events"); json.int(index.map { store.eventCount(ofItem: $0) } ?? 0)
        json.key("record")
        if let record = index.flatMap({ catalogue.record(ofItem: $0) }) { json.raw(record.json.serialized(indent: 0)) } else { json.null() }
        json.key("events_per_day")
        json.beginArray()
        for entry in days {
            json.beginObject()
            json.key("day"); json.string(RFC3339.date(days: Int(entry.day)))
            json.key("events"); json.int(entry.events)
            json.endObject()
        }
        json.endArray()
        json.key("similar")
        json.beginArray()
        if index != nil {
            for model in servedModels {
                Self.write(model: model, into: &json) { () throws(Serving.Failure) in
                    try serving.similar(to: item, count: count, model: model, filter: filter)
                }
            }
        }
        json.endArray()
        json.endObject()
        return Self.respond(json)
    }

    /// The models of the serving set in training order, then `content` when it answers; before the first pass,
    /// `popular` (live popularity).
    var servedModels: [ModelKind] {
        var kinds = registry.snapshot?.models.map(\.kind) ?? [.popular]
        if serving.content?.model != nil && !kinds.contains(.content) { kinds.append(.content) }
        return kinds
    }

    /// One model's answer, or its refusal as `{"model", "error": {"code", "message"}}`.
    private static func write(
        model: ModelKind, into json: inout JSONWriter, answer: () throws(Serving.Failure) -> Serving.Answer
    ) {
        json.beginObject()
        json.key("model"); json.string(model.rawValue)
        do throws(Serving.Failure) {
            let answer = try answer()
            json.key("answered_by"); json.string(answer.model.rawValue)
            json.key("version"); json.string(answer.version)
            json.key("samples"); json.bool(answer.model.samplesRankings)
            json.key("items"); answer.writeItems(into: &json)
        } catch {
            let (code, message): (String, String) = switch error {
            case .noModels: ("not_ready", "no model has been trained yet")
            case .unknownModel(let name): ("unknown_model", "model \(name) is not trained on this server")
            case .unknownItem(let item): ("unknown_item", "item \(item) is not known to this model")
            case .notARatingModel(let name): ("unknown_model", "model \(name) does not predict ratings")
            }
            json.key("error")
            json.beginObject()
            json.key("code"); json.string(code)
            json.key("message"); json.string(message)
            json.endObject()
        }
        json.endObject()
    }
}
