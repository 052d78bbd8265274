import Locking
import Models

/// ALS user factors folded in from histories the models were not trained on, kept until the user's history
/// or the model set changes.
///
/// A fold-in is an exact least-squares solve over the user's items (about n·k² flops for n items and k
/// factors): cheap for a few events, a millisecond for a long history, so it is solved once per history
/// revision rather than per request. Bounded: past `capacity` users the cache starts over.
final class FoldInCache: Sendable {
    private struct Entry {
        let revision: Int
        let factors: [Float]?
    }

    private struct State {
        var version = ""
        var entries: [Int32: Entry] = [:]
    }

    private let capacity: Int
    private let state = Lock(State())

    init(capacity: Int = 20_000) {
        self.capacity = max(1, capacity)
    }

    /// The factor of `user` at `revision` under the model set `version`, solving it with `solve` when missing;
    /// nil when the history cannot be folded in (no item known to the model).
    func factors(user: Int32, revision: Int, version: String, solve: () -> [Float]?) -> [Float]? {
        let cached = state.withLock { state -> Entry? in
            guard state.version == version, let entry = state.entries[user], entry.revision == revision else { return nil }
            return entry
        }
        if let cached { return cached.factors }
        let solved = solve()
        state.withLock { state in
            if state.version != version {
                state.version = version
                state.entries.removeAll(keepingCapacity: true)
            }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[user] = Entry(revision: revision, factors: solved)
        }
        return solved
    }

    /// Number of users cached now.
    var count: Int { state.withLock { $0.entries.count } }
}
