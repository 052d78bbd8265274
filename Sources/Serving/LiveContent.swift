import Catalogue
import Dispatch
import LinearAlgebra
import Locking
import Models

/// The `content` model, kept current with the catalogue rather than trained in passes: an item scores from the
/// moment its record is written, events or not.
///
/// A full fit over every record builds the model at start; each record write then updates the changed items'
/// vectors in the model's overlay (`ContentModel.updating`) before the write is acknowledged. The overlay costs
/// every query a dot product per changed item, so once it holds `refitThreshold` items (or after a training
/// pass, to refresh the term statistics) a full fit runs in the background and replaces the model; writes that
/// land during that fit are applied to its result before it is published, so none is lost.
package final class LiveContent: Sendable {
    private struct State {
        var model: ContentModel?
        /// Items changed since the published model's fit began (applied to the next fit's result).
        var changedDuringFit: Set<Int32> = []
        var isFitting = false
        var isRefitQueued = false
        /// Overlay updates since the last full fit.
        var updatesSinceFit = 0
        /// Counts full fits, for the version answers report.
        var fits = 0
        /// When the last full fit ended (unix seconds) and how long it took.
        var fittedAt = 0.0
        var fitSeconds = 0.0
    }

    /// What `GET /models` reports about the content model.
    package struct Summary: Sendable {
        package let version: String
        package let fittedAt: Double
        package let fitSeconds: Double
        /// Items the model covers (with or without a vector).
        package let items: Int
    }

    private let state = Lock(State())
    private let parameters: ContentParameters
    /// The current documents of the catalogue: all of them, or the given items'.
    private let documents: @Sendable () -> [ItemDocument?]
    private let document: @Sendable (Int32) -> ItemDocument?
    private let queue = DispatchQueue(label: "recsmith.content.fit", qos: .utility)

    /// Content over `catalogue`'s records.
    package init(catalogue: Catalogue, parameters: ContentParameters) {
        self.parameters = parameters
        documents = { catalogue.allRecords().map { $0.map(ItemDocument.init(record:)) } }
        document = { catalogue.record(ofItem: $0).map(ItemDocument.init(record:)) }
    }

    /// The model answering now; nil while no record has a category, label or word.
    package var model: ContentModel? { state.withLock { $0.model } }

    /// The `version` of content answers: which full fit, and how many updates since.
    package var version: String {
        state.withLock { "content-\($0.fits).\($0.updatesSinceFit)" }
    }

    /// The current model's facts; nil without a model.
    package var summary: Summary? {
        state.withLock { state in
            state.model.map {
                Summary(version: "content-\(state.fits).\(state.updatesSinceFit)", fittedAt: state.fittedAt,
                        fitSeconds: state.fitSeconds, items: $0.itemCount)
            }
        }
    }

    /// Fits the model from every record now and waits for it (at start, and for the first record with terms).
    package func fitNow() {
        queue.sync { fitAndPublish() }
    }

    /// Fits the model in the background (after a training pass, or when the overlay has grown); one already
    /// waiting to start makes this one unnecessary.
    package func refit() {
        let enqueue = state.withLock { state -> Bool in
            guard !state.isRefitQueued else { return false }
            state.isRefitQueued = true
            return true
        }
        guard enqueue else { return }
        queue.async {
            self.state.withLock { $0.isRefitQueued = false }
            self.fitAndPublish()
        }
    }

    /// One full fit; on `queue`, so fits never overlap.
    private func fitAndPublish() {
        state.withLock { state in
            state.isFitting = true
            state.changedDuringFit = []
        }
        let start = ContinuousClock.now
        let fitted = fit()
        publish(fitted, seconds: (ContinuousClock.now - start) / .seconds(1))
    }

    /// Gives the changed items their current vectors (a deleted or record-less item loses its vector). The
    /// documents are read under this object's lock, so of two concurrent writes the later one's record wins.
    package func update(items: [Int32]) {
        guard !items.isEmpty else { return }
        let refit = state.withLock { state -> Refit in
            let changes = items.map { (item: $0, document: document($0)) }
            if state.isFitting { state.changedDuringFit.formUnion(items) }
            if let model = state.model {
                state.model = model.updating(changes)
                state.updatesSinceFit += items.count
                return state.updatesSinceFit >= Self.refitThreshold(itemCount: model.itemCount) ? .background : .none
            }
            // No model yet: the first record with a term makes one before its write is acknowledged.
            return changes.contains { $0.document.map(Self.hasTerms) ?? false } ? .now : .none
        }
        switch refit {
        case .now: fitNow()
        case .background: self.refit()
        case .none: break
        }
    }

    private enum Refit { case none, now, background }

    /// Overlay updates that trigger a background refit: 1,000, or 5% of the items if more.
    static func refitThreshold(itemCount: Int) -> Int { max(1_000, itemCount / 20) }

    private static func hasTerms(_ document: ItemDocument) -> Bool {
        !document.categories.isEmpty || !document.labels.isEmpty || !document.text.isEmpty
    }

    private func fit() -> ContentModel? {
        let documents = documents()
        guard !documents.isEmpty, let matrix = try? CSRMatrix(
            rowCount: 0, columnCount: documents.count, rowOffsets: [0], columns: [], values: [])
        else { return nil }
        let data = TrainingData(interactions: matrix, lastSeen: [], itemDocuments: documents)
        return try? ContentModel.fit(data, parameters: parameters)
    }

    private func publish(_ fitted: ContentModel?, seconds: Double) {
        state.withLock { state in
            defer {
                state.isFitting = false
                state.changedDuringFit = []
            }
            guard let fitted else { return }
            // Writes that landed while the fit read the catalogue: their current documents, on top of the fit.
            let changes = state.changedDuringFit.map { (item: $0, document: document($0)) }
            state.model = changes.isEmpty ? fitted : fitted.updating(changes)
            state.updatesSinceFit = changes.count
            state.fits += 1
            state.fittedAt = Serving.wallClock()
            state.fitSeconds = seconds
        }
    }
}

extension ItemDocument {
    /// What the content model reads of a record: categories, labels flattened to name/value pairs (a number as
    /// its shortest decimal text, an array one pair per element), and the text.
    init(record: ItemRecord) {
        var labels: [Label] = []
        for name in record.labels.keys.sorted() {
            switch record.labels[name]! {
            case .string(let text): labels.append(Label(name: name, value: text))
            case .number(let number):
                let text = number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
                labels.append(Label(name: name, value: text))
            case .bool(let flag): labels.append(Label(name: name, value: flag ? "true" : "false"))
            case .strings(let texts): labels += texts.map { Label(name: name, value: $0) }
            }
        }
        self.init(categories: record.categories, labels: labels, text: record.text)
    }
}
