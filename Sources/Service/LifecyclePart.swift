import Locking

/// One long-lived part of the service (the store, the trainer, the HTTP server) as the lifecycle sees it:
/// started in order, stopped in reverse order, each `stop` waiting until the part has let go of what the parts
/// before it provide (no HTTP request in flight once the trainer stops, no pass running once the store closes).
struct LifecyclePart: Sendable {
    /// For logs: `store`, `trainer`, `http`.
    let name: String
    /// Makes the part do its work; throws when it cannot.
    let start: @Sendable () throws -> Void
    /// Ends the part's work and waits for it. Must be safe whether or not `start` ran or succeeded: a part
    /// such as the trainer can work before it is started (tests drive it directly), and shutdown stops all.
    let stop: @Sendable () -> Void
}

/// Starts parts in order and stops them all in reverse, once; a part that fails to start stops everything.
final class Lifecycle: Sendable {
    private let parts: [LifecyclePart]
    private let stopped = Lock(false)

    init(_ parts: [LifecyclePart]) {
        self.parts = parts
    }

    /// Starts every part in order; on a failure, stops them all and rethrows.
    func start() throws {
        do {
            for part in parts { try part.start() }
        } catch {
            stop()
            throw error
        }
    }

    /// Stops every part, last first. Calling it again does nothing.
    func stop() {
        guard !stopped.withLock({ done in defer { done = true }; return done }) else { return }
        for part in parts.reversed() { part.stop() }
    }
}
