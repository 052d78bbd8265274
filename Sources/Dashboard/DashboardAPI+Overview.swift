import Catalogue
import EventFormats
import EventStore
import HTTPServer
import JSON
import Observability
import Serving

extension DashboardAPI {
    /// Hours the overview's activity chart covers.
    static let activityHours: Int64 = 7 * 24

    /// `GET /admin/overview`: store sizes, events per hour over the last 7 days (from the store, live), event
    /// types, and the last minutes of traffic. A store whose events are all older than the window shows the
    /// 7 days up to its latest event instead, and says so (`window.latest_event_hour`).
    func overview(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try AdminQuery(request, allowed: [])
        let nowHour = Int64(serving.clock() / 3600)
        var activity = try store.eventActivity(hours: (nowHour - Self.activityHours + 1)...nowHour)
        if let latest = activity.latestHour, latest < activity.hours.lowerBound {
            activity = try store.eventActivity(hours: (latest - Self.activityHours + 1)...latest)
        }
        let traffic = metrics.traffic.summary()
        var json = JSONWriter(capacity: 8192)
        json.beginObject()
        json.key("events"); json.int(store.eventCount)
        json.key("users"); json.int(store.userCount)
        json.key("items"); json.int(store.itemCount)
        json.key("relations"); json.int(store.relationCount)
        json.key("item_records"); json.int(catalogue.recordCount)
        json.key("event_types")
        json.beginArray()
        for entry in activity.types {
            json.beginObject()
            json.key("type"); json.string(entry.type)
            json.key("events"); json.int(entry.events)
            json.endObject()
        }
        json.endArray()
        json.key("events_per_hour")
        json.beginObject()
        json.key("start"); json.string(RFC3339.format(Double(activity.hours.lowerBound) * 3600))
        json.key("end"); json.string(RFC3339.format(Double(activity.hours.upperBound + 1) * 3600))
        json.key("latest_event_hour")
        if let latest = activity.latestHour { json.string(RFC3339.format(Double(latest) * 3600)) } else { json.null() }
        json.key("counts")
        json.beginArray()
        for count in activity.hourly { json.int(count) }
        json.endArray()
        json.endObject()
        json.key("traffic")
        json.beginObject()
        json.key("window_seconds"); json.int(traffic.windowSeconds)
        json.key("rate_seconds"); json.int(traffic.rateSeconds)
        json.key("requests"); json.int(traffic.requests)
        json.key("requests_per_second"); json.number(traffic.requestsPerSecond)
        json.key("events_per_second"); json.number(traffic.eventsPerSecond)
        json.key("latency_ms")
        json.beginObject()
        for (name, value) in [("p50", traffic.p50Milliseconds), ("p90", traffic.p90Milliseconds), ("p99", traffic.p99Milliseconds)] {
            json.key(name)
            if let value { json.number(value) } else { json.null() }
        }
        json.endObject()
        json.endObject()
        json.key("model_version")
        if let set = registry.snapshot { json.string(set.version) } else { json.null() }
        json.endObject()
        return Self.respond(json)
    }

    /// Admin JSON: `<`, `>` and `&` (which occur only inside strings) become `\u003c`, `\u003e`, `\u0026`, so no
    /// answer holds markup whatever ids and labels it quotes; never cached.
    static func respond(_ json: JSONWriter, status: HTTPStatus = .ok) -> HTTPResponse {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(json.bytes.count)
        for byte in json.bytes {
            switch byte {
            case UInt8(ascii: "<"): bytes.append(contentsOf: #"\u003c"#.utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: #"\u003e"#.utf8)
            case UInt8(ascii: "&"): bytes.append(contentsOf: #"\u0026"#.utf8)
            default: bytes.append(byte)
            }
        }
        return .json(status, bytes, headers: HTTPHeaders([("cache-control", "no-store"), ("x-content-type-options", "nosniff")]))
    }
}
