import Catalogue
import Models
import Training
import Serving
import Observability
import Configuration
import Testing
@testable import Service

struct ResponseCacheTests {
    private func key(_ subject: String, revision: Int = 0, version: String = "1", variant: String = "") -> ResponseCache.Key {
        ResponseCache.Key(route: "recommendations", subject: subject, revision: revision, version: version, query: "k=5",
                          catalogue: Catalogue().visibility(at: 0).generation, experiment: variant.isEmpty ? "" : "home",
                          variant: variant)
    }

    private func entry(_ bytes: [UInt8]) -> ResponseCache.Entry {
        ResponseCache.Entry(body: bytes, model: .als, version: "1", items: ["x"])
    }

    @Test func returnsStoredAnswerOnlyForTheSameKey() {
        let cache = ResponseCache(capacity: 10)
        cache.store(entry([1, 2, 3]), for: key("u1"))
        #expect(cache.value(for: key("u1"))?.body == [1, 2, 3])
        #expect(cache.value(for: key("u1", revision: 1)) == nil)
        #expect(cache.value(for: key("u1", version: "2")) == nil)
        #expect(cache.value(for: key("u2")) == nil)
        #expect(cache.value(for: key("u1", variant: "personal")) == nil, "another experiment variant's answer is another entry")
    }

    @Test func keepsAtMostTwoGenerationsAndPromotesHits() {
        let cache = ResponseCache(capacity: 2)
        cache.store(entry([1]), for: key("a"))
        cache.store(entry([2]), for: key("b"))
        cache.store(entry([3]), for: key("c"))
        #expect(cache.value(for: key("a"))?.body == [1])
        cache.store(entry([4]), for: key("d"))
        cache.store(entry([5]), for: key("e"))
        #expect(cache.value(for: key("b")) == nil)
        #expect(cache.value(for: key("e"))?.body == [5])
    }

    @Test func storesNothingWhenDisabled() {
        let cache = ResponseCache(capacity: 0)
        cache.store(entry([1]), for: key("a"))
        #expect(cache.value(for: key("a")) == nil)
    }
}
