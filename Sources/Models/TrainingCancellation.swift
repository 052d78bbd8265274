import Synchronization

/// A flag a long fit checks between its iterations: once set, the fit stops at the next check and throws
/// `ModelError.cancelled`. The service sets it when it shuts down, so a pass in progress ends within one
/// iteration instead of holding the process (and the store) open until it completes.
package final class TrainingCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    package init() {}

    /// True once `cancel()` was called.
    package var isCancelled: Bool { flag.load(ordering: .acquiring) }

    /// Asks every fit that checks this flag to stop.
    package func cancel() { flag.store(true, ordering: .releasing) }

    /// Throws `ModelError.cancelled(kind:)` when cancelled.
    func check(_ kind: ModelKind) throws(ModelError) {
        if isCancelled { throw .cancelled(kind: kind) }
    }
}
