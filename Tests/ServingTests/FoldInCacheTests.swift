import Locking
import Testing
@testable import Serving

struct FoldInCacheTests {
    @Test func solvesOncePerUserRevisionAndModelVersion() {
        let cache = FoldInCache()
        let solves = Lock(0)
        let solve = { () -> [Float]? in
            solves.withLock { $0 += 1 }
            return [1, 2]
        }
        #expect(cache.factors(user: 3, revision: 1, version: "1-100", solve: solve) == [1, 2])
        #expect(cache.factors(user: 3, revision: 1, version: "1-100", solve: solve) == [1, 2])
        #expect(solves.withLock { $0 } == 1)
        _ = cache.factors(user: 3, revision: 2, version: "1-100", solve: solve)
        #expect(solves.withLock { $0 } == 2, "a new event re-solves")
        _ = cache.factors(user: 4, revision: 1, version: "1-100", solve: solve)
        _ = cache.factors(user: 3, revision: 2, version: "2-200", solve: solve)
        #expect(solves.withLock { $0 } == 4, "a new model set re-solves")
        #expect(cache.count == 1, "a new model set drops the old set's factors")
    }

    @Test func remembersThatAHistoryCannotBeFoldedIn() {
        let cache = FoldInCache()
        let solves = Lock(0)
        for _ in 0..<3 {
            #expect(cache.factors(user: 1, revision: 1, version: "v") { solves.withLock { $0 += 1 }; return nil } == nil)
        }
        #expect(solves.withLock { $0 } == 1)
    }

    @Test func staysWithinItsCapacity() {
        let cache = FoldInCache(capacity: 10)
        for user in 0..<25 { _ = cache.factors(user: Int32(user), revision: 1, version: "v") { [0] } }
        #expect(cache.count <= 10)
    }
}
