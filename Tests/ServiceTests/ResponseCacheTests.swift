import Catalogue
import Training
import Serving
import Observability
import Configuration
import Testing
@testable import Service

struct ResponseCacheTests {
    private func key(_ subject: String, revision: Int = 0, version: String = "1") -> ResponseCache.Key {
        ResponseCache.Key(route: "recommendations", subject: subject, revision: revision, version: version, query: "k=5",
                          catalogue: Catalogue().visibility(at: 0).generation)
    }

    @Test func returnsStoredAnswerOnlyForTheSameKey() {
        let cache = ResponseCache(capacity: 10)
        cache.store([1, 2, 3], for: key("u1"))
        #expect(cache.value(for: key("u1")) == [1, 2, 3])
        #expect(cache.value(for: key("u1", revision: 1)) == nil)
        #expect(cache.value(for: key("u1", version: "2")) == nil)
        #expect(cache.value(for: key("u2")) == nil)
    }

    @Test func keepsAtMostTwoGenerationsAndPromotesHits() {
        let cache = ResponseCache(capacity: 2)
        cache.store([1], for: key("a"))
        cache.store([2], for: key("b"))
        cache.store([3], for: key("c"))
        #expect(cache.value(for: key("a")) == [1])
        cache.store([4], for: key("d"))
        cache.store([5], for: key("e"))
        #expect(cache.value(for: key("b")) == nil)
        #expect(cache.value(for: key("e")) == [5])
    }

    @Test func storesNothingWhenDisabled() {
        let cache = ResponseCache(capacity: 0)
        cache.store([1], for: key("a"))
        #expect(cache.value(for: key("a")) == nil)
    }
}
