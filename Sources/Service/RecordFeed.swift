import Catalogue
import EventStore
import Locking
import Logging
import Serving

/// Applies the catalogue records other processes sharing the store commit (`EventStore.observeRecordChanges`)
/// to this process's catalogue and content model, so a record put, an item deleted or a user erased on one
/// replica is in every replica's answers within a poll of the change feed.
///
/// Observing starts before the catalogue is loaded and changes wait here until `attach`: a change committed
/// between the load and the observer's start would otherwise be lost; one that the load saw already is applied
/// again, which changes nothing (records are reported as they stand).
final class RecordFeed: Sendable {
    private struct State {
        var target: (catalogue: Catalogue, content: LiveContent?)?
        var pending: [RecordChanges] = []
    }

    private let state = Lock(State())
    private let limits: RecordLimits
    private let logger: Logger

    /// Starts observing `store` (which keeps this object as long as it lives).
    init(store: any EventStore, limits: RecordLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
        store.observeRecordChanges { [self] changes in receive(changes) }
    }

    /// From now on changes go to `catalogue` (and `content`), the ones that waited first.
    func attach(catalogue: Catalogue, content: LiveContent?) {
        state.withLock { state in
            state.target = (catalogue, content)
            for changes in state.pending { apply(changes, to: catalogue, content: content) }
            state.pending = []
        }
    }

    private func receive(_ changes: RecordChanges) {
        state.withLock { state in
            guard let (catalogue, content) = state.target else {
                state.pending.append(changes)
                return
            }
            apply(changes, to: catalogue, content: content)
        }
    }

    private func apply(_ changes: RecordChanges, to catalogue: Catalogue, content: LiveContent?) {
        CatalogueLoader.apply(items: changes.items, users: changes.users, to: catalogue, limits: limits, logger: logger)
        if !changes.items.isEmpty { content?.update(items: changes.items.map(\.index)) }
    }
}
