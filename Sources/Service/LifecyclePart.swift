import Locking

/// One long-lived part of the service (the store, the trainer, the HTTP server) as the lifecycle sees it:
/// started in order, stopped in reverse order of start, each `stop` waiting until the part has let go of what
/// the parts started before it provide (no HTTP request in flight once the trainer stops, no pass running once
/// the store closes).
struct LifecyclePart: Sendable {
    /// For logs: `store`, `trainer`, `http`.
    let name: String
    /// Makes the part do its work; throws when it cannot (nothing to undo for this part then).
    let start: @Sendable () throws -> Void
    /// Ends the part's work and waits for it; called once, and only after `start` succeeded.
    let stop: @Sendable () -> Void
}

/// Starts parts in order and stops the started ones in reverse; a part that fails to start stops those
/// before it.
final class Lifecycle: Sendable {
    private let parts: [LifecyclePart]
    /// How many of `parts` have started and not yet stopped.
    private let running = Lock(0)

    init(_ parts: [LifecyclePart]) {
        self.parts = parts
    }

    /// Starts every part in order; on a failure, stops the ones already started and rethrows.
    func start() throws {
        for part in parts {
            do {
                try part.start()
                running.withLock { $0 += 1 }
            } catch {
                stop()
                throw error
            }
        }
    }

    /// Stops the started parts, last started first. Calling it again does nothing.
    func stop() {
        while let part = running.withLock({ count -> LifecyclePart? in
            guard count > 0 else { return nil }
            count -= 1
            return parts[count]
        }) {
            part.stop()
        }
    }
}
