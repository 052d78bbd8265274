import EventFormats
import EventStore
import Evaluation
import Models

/// `recsmith evaluate --replay`: on the last days' attributed events, how often the item of each event would have
/// been in a candidate's top-k for that user on that day, beside the models that actually served the lists.
///
/// For each UTC day with attributed events, every candidate is fitted on the store's events from before the day
/// began (binary pairs, as `evaluate` builds them), and each user of the day's events is ranked once, with the
/// items they had before the day masked. An event whose item the user already had is a repeat, one whose user or
/// item had no event before the day is cold; neither is scored. Fits and sampling are seeded, so a replay of the
/// same store gives the same report.
package struct Replay: Sendable {
    /// The run's settings.
    package let options: ReplayOptions
    /// Item records for `content`; without them `content` is not replayed.
    package let itemRecords: ItemRecords?
    /// Receives one human-readable line per step.
    let progress: @Sendable (String) -> Void

    /// A replay; `progress` receives one line per step (the CLI prints them on stderr).
    package init(
        options: ReplayOptions, itemRecords: ItemRecords? = nil, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.options = options
        self.itemRecords = itemRecords
        self.progress = progress
    }

    /// Replays the window of `store` that ends with its latest attributed event.
    package func run(on store: any EventStore) throws(ReplayError) -> ReplayReport {
        try options.validate()
        if itemRecords == nil, let model = options.models?.first(where: \.needsItemDocuments) {
            throw .evaluation(.itemRecordsRequired(model: model.rawValue))
        }
        guard let latest = try Self.read({ try store.latestAttributedEventTime() }) else { throw .noAttributedEvents }
        let window = ReplayWindow(endingAt: latest, days: options.days)
        let attributed = try Self.read { try store.attributedEvents(since: window.start) }
        let days = window.days(of: attributed)
        guard let lastDay = days.last?.day else { throw .noAttributedEvents }
        let history = try Self.history(of: store, before: ReplayWindow.start(of: lastDay))
        progress("\(attributed.count) attributed events on \(days.count) days; \(history.count) events before the last day")

        var report = makeReport(window: window, attributed: attributed)
        for (day, events) in days {
            try replay(day: day, events: events, history: history, into: &report)
        }
        return report
    }

    /// The report before any day: served models (most attributed events first), then the candidates.
    private func makeReport(window: ReplayWindow, attributed: [AttributedEvent]) -> ReplayReport {
        var events: [String: Int] = [:]
        for event in attributed { events[event.model, default: 0] += 1 }
        let served = events.map { ReplayReport.Served(model: $0.key, events: $0.value) }
            .sorted { ($1.events, $0.model) < ($0.events, $1.model) }
        let ks = options.cutoffs
        func candidate(_ name: String, notReplayed: String?) -> ReplayReport.Candidate {
            ReplayReport.Candidate(
                model: name, notReplayed: notReplayed, score: .init(cutoffs: ks.count),
                byServed: Array(repeating: .init(cutoffs: ks.count), count: served.count))
        }
        var candidates = served.map { served in
            candidate(served.model, notReplayed: Self.evaluatedModel(named: served.model).map(whyNotReplayed) ?? Self.unknownModel)
        }
        for model in options.models ?? EvaluatedModel.defaultList where !candidates.contains(where: { $0.model == model.kind.rawValue }) {
            candidates.append(candidate(model.kind.rawValue, notReplayed: nil))
        }
        return ReplayReport(
            window: window, days: options.days, ks: ks, seed: options.seed, factors: options.factors, servedModels: served,
            perDay: [], candidates: candidates)
    }

    /// Why a served `model` cannot be replayed; nil when it can.
    private func whyNotReplayed(_ model: EvaluatedModel) -> String? {
        guard model.needsItemDocuments && itemRecords == nil else { return nil }
        return "needs item records: pass --items FILE.jsonl (recsmith export --items writes them)"
    }

    /// Why a served model that `evaluate` does not fit is not replayed.
    static let unknownModel = "evaluate does not fit this model, so replay cannot"

    /// The `evaluate` model of the service's model name (`popular` is `pop`).
    static func evaluatedModel(named name: String) -> EvaluatedModel? {
        EvaluatedModel.allCases.first { $0.kind.rawValue == name }
    }

    /// Every stored event before `end`, as rows in time order.
    static func history(of store: any EventStore, before end: Double) throws(ReplayError) -> [EventRow] {
        var rows: [EventRow] = []
        try read {
            try store.exportEvents { event in
                guard event.timestamp < end else { return }
                // Not from a file: line 0.
                rows.append(EventRow(
                    user: event.user, item: event.item, timestamp: event.timestamp, weight: Double(event.weight),
                    type: event.type, line: 0))
            }
        }
        rows.sort { $0.timestamp < $1.timestamp }
        return rows
    }

    /// Runs a store read, turning its failure into ``ReplayError/store(reason:)``.
    static func read<T>(_ body: () throws -> T) throws(ReplayError) -> T {
        do {
            return try body()
        } catch {
            throw .store(reason: "\(error)")
        }
    }
}
