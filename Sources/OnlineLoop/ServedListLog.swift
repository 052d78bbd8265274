import Dispatch
import EventStore
import Locking

/// Remembers the ranking answers served, for attribution: a bounded in-memory buffer that a timer flushes to the
/// store in batches, so nothing on the request path waits for the store.
///
/// - **Sampling.** Above `rememberPerSecond` lists per second, only every n-th list is remembered: n starts each
///   second at the last second's rate over the limit (rounded up) and doubles whenever the second has remembered
///   `rememberPerSecond` more lists, so a burst after a quiet second cannot flood the store. Each remembered list
///   carries its n as its weight, so the store's counts scale back to lists served and CTR (attributed lists over
///   remembered ones) stays unbiased.
/// - **Memory cap.** The buffer holds at most `memoryLimit` bytes (estimated); lists beyond it are dropped and
///   counted rather than waiting for the store.
/// - **Retention.** A list is remembered until `retention` after it was served; the timer also has the store
///   forget expired lists once a minute.
package final class ServedListLog: Sendable {
    /// What the log keeps and for how long.
    package struct Settings: Sendable, Hashable {
        /// Seconds a list stays remembered (`online.retention`).
        package var retention: Double
        /// Bytes the unflushed buffer may hold (`online.memory_limit`).
        package var memoryLimit: Int
        /// Lists per second remembered in full; above it the log samples (`online.remember_per_second`).
        package var rememberPerSecond: Int
        /// Seconds between flushes to the store.
        package var flushInterval: Double

        /// Creates settings; the defaults are the configuration's.
        package init(
            retention: Double = 86_400, memoryLimit: Int = 64 << 20, rememberPerSecond: Int = 200, flushInterval: Double = 1
        ) {
            self.retention = retention
            self.memoryLimit = memoryLimit
            self.rememberPerSecond = rememberPerSecond
            self.flushInterval = flushInterval
        }
    }

    /// Counts since start, for metrics and the admin API.
    package struct Statistics: Sendable, Equatable {
        /// Lists served (remembered or not).
        package var served = 0
        /// Lists remembered (handed to the store or waiting in the buffer).
        package var remembered = 0
        /// Lists dropped because the buffer was full.
        package var dropped = 0
        /// The current sampling step: 1 remembers every list, n every n-th.
        package var samplingStep = 1
        /// Estimated bytes waiting in the buffer.
        package var bufferedBytes = 0
    }

    private struct State {
        var buffer: [ServedList] = []
        var statistics = Statistics()
        /// The second (unix seconds, truncated) being counted, the lists served in it, those remembered since the
        /// step last changed, and the lists to skip before the next one is remembered.
        var second: Int64 = 0
        var servedThisSecond = 0
        var rememberedAtStep = 0
        var skip = 0
        var timer: (any DispatchSourceTimer)?
        var lastForget: Double = 0
    }

    package let settings: Settings
    private let store: any EventStore
    private let clock: @Sendable () -> Double
    private let state = Lock(State())
    private let queue = DispatchQueue(label: "recsmith.online.flush", qos: .utility)

    /// A log flushing into `store`; `clock` gives unix seconds.
    package init(store: any EventStore, settings: Settings, clock: @escaping @Sendable () -> Double) {
        self.store = store
        self.settings = settings
        self.clock = clock
    }

    /// A list about to be served: its `servedAt`, `expiresAt` and `weight` are set here. Returns at once.
    package func record(_ list: ServedList) {
        var list = list
        list.expiresAt = list.servedAt + settings.retention
        let size = Self.estimatedSize(of: list)
        let limit = max(settings.rememberPerSecond, 1)
        let memoryLimit = settings.memoryLimit
        state.withLock { state in
            let second = Int64(list.servedAt)
            if second != state.second {
                // The step for this second comes from the last one's rate (1 after an idle second).
                let lastRate = second == state.second + 1 ? state.servedThisSecond : 0
                state.statistics.samplingStep = max(1, (lastRate + limit - 1) / limit)
                state.second = second
                state.servedThisSecond = 0
                state.rememberedAtStep = 0
                state.skip = 0
            }
            state.statistics.served += 1
            state.servedThisSecond += 1
            guard state.skip == 0 else {
                state.skip -= 1
                return
            }
            let step = state.statistics.samplingStep
            state.skip = step - 1
            state.rememberedAtStep += 1
            if state.rememberedAtStep >= limit {
                // A whole second's worth already: remember half as often for the rest of this second.
                state.statistics.samplingStep = step * 2
                state.rememberedAtStep = 0
            }
            guard state.statistics.bufferedBytes + size <= memoryLimit else {
                state.statistics.dropped += 1
                return
            }
            list.weight = step
            state.buffer.append(list)
            state.statistics.bufferedBytes += size
            state.statistics.remembered += 1
        }
    }

    /// Hands the buffered lists to the store's next commit; events appended after this call can be attributed
    /// to them.
    package func flush() {
        let lists = state.withLock { state -> [ServedList] in
            let lists = state.buffer
            state.buffer.removeAll(keepingCapacity: false)
            state.statistics.bufferedBytes = 0
            return lists
        }
        store.remember(lists)
    }

    /// The counts so far.
    package var statistics: Statistics { state.withLock { $0.statistics } }

    /// Starts the flush timer (and the store's once-a-minute forgetting of expired lists).
    package func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = settings.flushInterval
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        state.withLock { $0.timer = timer }
        timer.resume()
    }

    /// Stops the timer and flushes what is buffered (before the store closes).
    package func stop() {
        let timer = state.withLock { state -> (any DispatchSourceTimer)? in
            defer { state.timer = nil }
            return state.timer
        }
        timer?.cancel()
        // A tick already running finishes before the final flush.
        queue.sync {}
        flush()
    }

    private func tick() {
        flush()
        let now = clock()
        let due = state.withLock { state -> Bool in
            guard now - state.lastForget >= 60 else { return false }
            state.lastForget = now
            return true
        }
        if due { _ = try? store.forgetServedLists(before: now) }
    }

    /// What a list costs in memory, roughly: the struct, its strings beyond small-string storage, its item array.
    private static func estimatedSize(of list: ServedList) -> Int {
        func heapBytes(_ text: String) -> Int { text.utf8.count > 15 ? text.utf8.count : 0 }
        return 160 + list.items.count * 16 + heapBytes(list.user ?? "") + heapBytes(list.version) + heapBytes(list.experiment)
            + heapBytes(list.variant)
    }
}
