import Dispatch
import Glibc
import Locking
import Synchronization
import Testing
@testable import LinearAlgebra

@Suite struct BackgroundWorkersTests {
    @Test func runsOnThreadsWithLowerPriority() {
        let pool = BackgroundWorkers.shared
        let nice = pool.run { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
        #expect(nice == pool.nice)
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == 0, "the caller keeps its own")
    }

    @Test func parallelForCoversEveryIndexOnceOnTheBackgroundThreads() {
        let count = 10_007
        let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        hits.initialize(repeating: 0)
        defer { hits.deallocate() }
        let niceValues = Lock<Set<Int32>>([])
        BackgroundWorkers.shared.run {
            parallelFor(count: count, chunkSize: 13) { range, _ in
                niceValues.withLock { _ = $0.insert(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)) }
                for index in range { hits[index] += 1 } // chunks are disjoint
            }
        }
        #expect(hits.allSatisfy { $0 == 1 })
        #expect(niceValues.withLock { $0 } == [BackgroundWorkers.shared.nice])
    }

    @Test func givesEachWorkerIndexToOneThreadAtATime() {
        let busy = Lock<[Bool]>(Array(repeating: false, count: processorCount))
        let clashes = Atomic<Int>(0)
        BackgroundWorkers.shared.run {
            parallelFor(count: 2_000, chunkSize: 1) { _, worker in
                if busy.withLock({ busy in defer { busy[worker] = true }; return busy[worker] }) {
                    clashes.wrappingAdd(1, ordering: .relaxed)
                }
                usleep(50)
                busy.withLock { $0[worker] = false }
            }
        }
        #expect(clashes.load(ordering: .relaxed) == 0)
    }

    @Test func nestedLoopsAndConcurrentRunsFinish() {
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            BackgroundWorkers.shared.run {
                parallelFor(count: 64, chunkSize: 1) { _, _ in
                    parallelFor(count: 10, chunkSize: 1) { range, _ in total.wrappingAdd(range.count, ordering: .relaxed) }
                }
            }
        }
        #expect(total.load(ordering: .relaxed) == 4 * 64 * 10)
    }

    @Test func rethrowsWhatTheBodyThrows() {
        struct Failure: Error {}
        #expect(throws: Failure.self) { try BackgroundWorkers.shared.run { throw Failure() } }
    }
}
