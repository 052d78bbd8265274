import OnlineLoop
import Testing

struct RecommendationIDsTests {
    @Test func makesFifteenURLSafeCharacters() {
        let ids = RecommendationIDs()
        for _ in 0..<1_000 {
            let id = ids.next()
            #expect(id.utf8.count == 15)
            #expect(RecommendationIDs.isWellFormed(id))
            #expect(id.utf8.allSatisfy { $0 < 0x80 && ($0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x7A)) })
        }
    }

    @Test func neverRepeatsAnIdWithinAProcess() {
        let ids = RecommendationIDs(seed: 7)
        var seen: Set<String> = []
        for _ in 0..<100_000 { #expect(seen.insert(ids.next()).inserted) }
    }

    @Test func differsBetweenGeneratorsOfDifferentKeys() {
        let (first, second) = (RecommendationIDs(seed: 1), RecommendationIDs(seed: 2))
        let a = Set((0..<1_000).map { _ in first.next() })
        let b = Set((0..<1_000).map { _ in second.next() })
        #expect(a.isDisjoint(with: b))
    }

    @Test func doesNotRevealTheCounter() {
        let ids = RecommendationIDs(seed: 3)
        let (first, second) = (ids.next(), ids.next())
        // Consecutive ids share the process prefix (the first characters) but not the mixed counter's tail.
        #expect(first.prefix(4) == second.prefix(4))
        #expect(first.suffix(8) != second.suffix(8))
    }

    @Test func refusesTextOfAnotherShape() {
        #expect(!RecommendationIDs.isWellFormed("short"))
        #expect(!RecommendationIDs.isWellFormed("AAAAAAAAAAAAAA+"))
        #expect(!RecommendationIDs.isWellFormed("AAAAAAAAAAAAAAAA"))
    }
}
