import LinearAlgebra
import Locking
import Testing

struct ParallelForTests {
    @Test(arguments: [(0, 1), (1, 1), (10, 3), (1000, 7), (1000, 1000)])
    func visitsEveryIndexExactlyOnce(count: Int, chunkSize: Int) {
        let visits = Lock([Int](repeating: 0, count: count))
        let workers = Lock(Set<Int>())
        parallelFor(count: count, chunkSize: chunkSize) { range, worker in
            #expect(range.count <= chunkSize)
            workers.withLock { _ = $0.insert(worker) }
            visits.withLock { counts in for index in range { counts[index] += 1 } }
        }
        visits.withLock { counts in #expect(counts.allSatisfy { $0 == 1 }) }
        workers.withLock { used in #expect(used.allSatisfy { $0 >= 0 && $0 < processorCount }) }
    }
}
