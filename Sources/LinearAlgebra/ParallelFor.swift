import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Number of processors online, at least 1.
package let processorCount: Int = {
    #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    #else
        return 1
    #endif
}()

/// Runs `body` over `0..<count` split into chunks of `chunkSize`, on up to `maxWorkers` threads
/// (0 = one per processor) through `DispatchQueue.concurrentPerform` — or, when called from work that
/// `BackgroundWorkers.run` started, on those lower-priority threads.
///
/// Chunks are handed out dynamically, so uneven work balances itself. `body` receives the chunk's range and
/// the worker's number in `0..<workers`, which callers use to index per-thread scratch buffers (no worker
/// runs two chunks at once). `body` runs concurrently with itself: it must only write disjoint memory or
/// memory owned by its worker. Returns once every chunk is done.
package func parallelFor(
    count: Int, chunkSize: Int = 1, maxWorkers: Int = 0, _ body: (_ range: Range<Int>, _ worker: Int) -> Void
) {
    guard count > 0 else { return }
    let chunk = max(1, chunkSize)
    let chunkCount = (count + chunk - 1) / chunk
    var workers = parallelWorkerCount(forChunks: chunkCount, maxWorkers: maxWorkers)
    #if canImport(Glibc)
        if ThreadRole.isBackgroundWorker {
            if ThreadRole.insideParallelLoop {
                workers = 1 // nested in a background loop's chunk: the pool's threads are taken already
            } else if workers > 1 {
                BackgroundWorkers.shared.parallelFor(chunkCount: chunkCount, workers: workers) { index, worker in
                    body(index * chunk..<min(count, (index + 1) * chunk), worker)
                }
                return
            }
        }
    #endif
    if workers == 1 {
        var start = 0
        while start < count {
            body(start..<min(count, start + chunk), 0)
            start += chunk
        }
        return
    }
    let nextChunk = Atomic<Int>(0)
    withoutActuallyEscaping(body) { escapableBody in
        let task = ChunkBody(run: escapableBody)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let index = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < chunkCount else { return }
                let start = index * chunk
                task.run(start..<min(count, start + chunk), worker)
            }
        }
    }
}

/// Carries `parallelFor`'s body into `concurrentPerform`, whose closure must be `@Sendable`.
///
/// Safe because `concurrentPerform` returns only after every iteration has finished (so the body never
/// outlives the call), and `parallelFor`'s contract requires the body to write only disjoint or
/// worker-owned memory.
private struct ChunkBody: @unchecked Sendable {
    let run: (Range<Int>, Int) -> Void
}

/// How many workers `parallelFor` uses for `chunks` chunks with the given cap (0 = one per processor).
package func parallelWorkerCount(forChunks chunks: Int, maxWorkers: Int = 0) -> Int {
    let cap = maxWorkers > 0 ? maxWorkers : processorCount
    return max(1, min(cap, chunks))
}
