#if canImport(Glibc)
import Dispatch
import Glibc
import Synchronization

/// Threads of their own at a lower scheduling priority (nice 10), for work that must yield the processors
/// to latency-sensitive work: a training pass runs here so that it never competes with request handling on
/// equal terms, yet takes every idle cycle.
///
/// `run(_:)` executes a closure on one of these threads; every `parallelFor` it calls is spread over the
/// others instead of over Dispatch's threads (which serve requests too). Dispatch's QoS classes do not
/// change thread priorities on Linux, hence a pool of its own.
///
/// The caller of a background `parallelFor` works through the chunks itself and, when none are left,
/// withdraws the helper jobs no thread has started, so it only ever waits for chunks in progress: nested
/// loops and concurrent runs cannot deadlock. A `parallelFor` inside one of its chunks runs serially.
package final class BackgroundWorkers: @unchecked Sendable {
    // @unchecked Sendable: `jobs` is guarded by `lock` (`wake` is its condition); `nice` never changes; the
    // threads only touch their own locals and the jobs they took.

    /// The pool, made on first use with one thread per processor.
    package static let shared = BackgroundWorkers(threads: processorCount, nice: 10)

    /// The nice value of the pool's threads.
    package let nice: Int32
    private var lock = pthread_mutex_t()
    private var wake = pthread_cond_t()
    private var jobs: [Job] = []

    /// One unit of work for a pool thread: `work` (which may refer to a caller's non-escaping closure, so it
    /// is dropped before the caller can be told), then `completed`.
    final class Job {
        private var work: (() -> Void)?
        let completed: () -> Void

        init(_ work: @escaping () -> Void, completed: @escaping () -> Void) {
            self.work = work
            self.completed = completed
        }

        /// Runs the work and lets go of it.
        func runAndRelease() {
            let work = self.work
            self.work = nil
            work?()
        }

        /// Lets go of work that will not run.
        func cancel() { work = nil }
    }

    init(threads: Int, nice: Int32) {
        self.nice = nice
        pthread_mutex_init(&lock, nil)
        pthread_cond_init(&wake, nil)
        for _ in 0..<max(1, threads) { startThread() }
    }

    /// Runs `body` on a pool thread and returns its result; the calling thread waits (on a pool thread
    /// already, `body` just runs).
    package func run<T>(_ body: () throws -> T) rethrows -> T {
        if ThreadRole.isBackgroundWorker { return try body() }
        return try withoutActuallyEscaping(body) { body in
            let result = ResultBox<T>()
            let finished = DispatchSemaphore(value: 0)
            submit([Job({ result.value = Result { try body() } }, completed: { finished.signal() })])
            finished.wait()
            return try result.value!.get()
        }
    }

    /// `parallelFor` for a caller on a pool thread: the caller takes chunks too, helpers take the rest.
    func parallelFor(chunkCount: Int, workers: Int, _ runChunk: (Int, Int) -> Void) {
        withoutActuallyEscaping(runChunk) { runChunk in
            let next = Atomic<Int>(0)
            let running = Atomic<Int>(0)
            let done = DispatchSemaphore(value: 0)
            let work = { (worker: Int) in
                ThreadRole.insideParallelLoop = true
                defer { ThreadRole.insideParallelLoop = false }
                while true {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < chunkCount else { return }
                    runChunk(index, worker)
                }
            }
            let helpers = (1..<max(1, workers)).map { worker in
                Job({ work(worker) }, completed: {
                    if running.wrappingSubtract(1, ordering: .acquiringAndReleasing).oldValue == 1 { done.signal() }
                })
            }
            running.store(helpers.count, ordering: .releasing)
            submit(helpers)
            work(0)
            guard !helpers.isEmpty else { return }
            // No chunk is left to start: jobs still queued would find nothing to do, so take them back and wait
            // only for the helpers that are running (the last of them to finish signals `done`).
            let withdrawn = withdraw(helpers)
            let stillRunning = running.wrappingSubtract(withdrawn, ordering: .acquiringAndReleasing).newValue
            if withdrawn > 0 && stillRunning == 0 { return }
            done.wait()
        }
    }

    private func submit(_ new: [Job]) {
        guard !new.isEmpty else { return }
        pthread_mutex_lock(&lock)
        jobs.append(contentsOf: new)
        pthread_cond_broadcast(&wake)
        pthread_mutex_unlock(&lock)
    }

    /// Removes those of `candidates` still queued; returns how many it removed.
    private func withdraw(_ candidates: [Job]) -> Int {
        guard !candidates.isEmpty else { return 0 }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        var removed = 0
        jobs.removeAll { job in
            guard candidates.contains(where: { $0 === job }) else { return false }
            job.cancel()
            removed += 1
            return true
        }
        return removed
    }

    private func startThread() {
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        pthread_create(&thread, nil, { argument in
            let pool = Unmanaged<BackgroundWorkers>.fromOpaque(argument!).takeRetainedValue()
            pool.serve()
            return nil
        }, box.toOpaque())
        pthread_detach(thread)
    }

    private func serve() {
        // This thread only (Linux keeps nice values per thread); lowering needs no privilege, raising it back
        // would, so the threads keep it.
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
        ThreadRole.isBackgroundWorker = true
        while true {
            pthread_mutex_lock(&lock)
            while jobs.isEmpty { pthread_cond_wait(&wake, &lock) }
            let job = jobs.removeFirst()
            pthread_mutex_unlock(&lock)
            job.runAndRelease()
            job.completed()
        }
    }
}

/// Where `run` leaves its body's result; read only after the job has completed.
private final class ResultBox<Value>: @unchecked Sendable {
    // @unchecked Sendable: written by the pool thread before `completed` signals, read by the caller after the
    // semaphore's wait (which orders the two).
    var value: Result<Value, any Error>?
}

/// What the current thread is, for `parallelFor` to pick where its chunks run.
enum ThreadRole {
    /// One of `BackgroundWorkers`' threads.
    static var isBackgroundWorker: Bool {
        get { flag(isBackgroundKey) }
        set { setFlag(isBackgroundKey, newValue) }
    }

    /// Running a chunk of a background `parallelFor`: a nested loop runs serially.
    static var insideParallelLoop: Bool {
        get { flag(insideLoopKey) }
        set { setFlag(insideLoopKey, newValue) }
    }

    private static let isBackgroundKey = makeKey()
    private static let insideLoopKey = makeKey()

    private static func makeKey() -> pthread_key_t {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }

    private static func flag(_ key: pthread_key_t) -> Bool { pthread_getspecific(key) != nil }

    private static func setFlag(_ key: pthread_key_t, _ value: Bool) {
        pthread_setspecific(key, value ? UnsafeRawPointer(bitPattern: 1) : nil)
    }
}
#endif
