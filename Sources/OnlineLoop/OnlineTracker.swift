import EventStore

/// The online loop of one server: experiment assignment for requests, and — unless `online.recommendation_ids`
/// is off — ids for answers and the log that remembers what was served under them.
package final class OnlineTracker: Sendable {
    /// The configured experiments and stopped ones' winners.
    package let experiments: Experiments
    /// Makes the answers' ids; nil when recommendation ids are off.
    package let ids: RecommendationIDs?
    /// Remembers the lists served; nil when recommendation ids are off.
    package let log: ServedListLog?

    /// A tracker over `store`; `settings` nil turns ids and remembering off.
    package init(store: any EventStore, experiments: Experiments, settings: ServedListLog.Settings?, clock: @escaping @Sendable () -> Double) {
        self.experiments = experiments
        ids = settings.map { _ in RecommendationIDs() }
        log = settings.map { ServedListLog(store: store, settings: $0, clock: clock) }
    }

    /// Gives `body` (a JSON object's bytes, ranking `list.items`) a fresh `recommendation_id` as its first field and
    /// remembers the list under it; `body` unchanged when ids are off.
    package func tag(_ body: [UInt8], as list: ServedList) -> [UInt8] {
        guard let ids, let log, body.first == UInt8(ascii: "{") else { return body }
        var list = list
        list.id = ids.next()
        log.record(list)
        return Self.splicing(id: list.id, into: body)
    }

    /// `{"recommendation_id":"<id>",` then `body` after its opening brace (`}` alone when `body` is `{}`).
    static func splicing(id: String, into body: [UInt8]) -> [UInt8] {
        let head = #"{"recommendation_id":""#.utf8
        var spliced: [UInt8] = []
        spliced.reserveCapacity(head.count + id.utf8.count + body.count + 2)
        spliced.append(contentsOf: head)
        spliced.append(contentsOf: id.utf8)
        spliced.append(UInt8(ascii: "\""))
        if body.count > 2 { spliced.append(UInt8(ascii: ",")) }
        spliced.append(contentsOf: body[1...])
        return spliced
    }
}
