import Testing
@testable import Serving

struct RequestSeedsTests {
    @Test func givesEveryRequestADifferentSeed() {
        let seeds = RequestSeeds(start: 0)
        let drawn = (0..<10_000).map { _ in seeds.next() }
        #expect(Set(drawn).count == drawn.count)
        #expect(RequestSeeds(start: 0).next() == drawn[0])  // a fixed start repeats, for tests
        #expect(RequestSeeds().next() != RequestSeeds().next())  // random starts differ
    }
}
