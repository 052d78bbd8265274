import Testing
@testable import EventFormats

/// Basket co-occurrence on a hand-made event log.
struct BasketPairsTests {
    private static func touch(_ user: String, _ item: String, _ time: Double) -> BasketPairs.Touch {
        BasketPairs.Touch(user: user, item: item, timestamp: time)
    }

    @Test func pairsItemsOneUserTouchedWithinTheWindowOncePerUser() {
        let log = [
            Self.touch("u1", "milk", 0), Self.touch("u1", "bread", 600), Self.touch("u1", "milk", 900),
            Self.touch("u1", "tent", 10_000),  // more than an hour after bread: no pair
            // jam is exactly an hour after milk (paired) and 3,650 s after bread (not paired).
            Self.touch("u2", "bread", 50), Self.touch("u2", "milk", 100), Self.touch("u2", "jam", 3_700),
        ]
        let pairs = BasketPairs(window: 3600).pairs(log)
        #expect(pairs.map { "\($0.from)-\($0.to):\($0.users)" } == ["bread-milk:2", "jam-milk:1"])
        #expect(BasketPairs(window: 3600, minUsers: 2).pairs(log).map { "\($0.from)-\($0.to)" } == ["bread-milk"])
        #expect(BasketPairs(window: 60).pairs(log).map { "\($0.from)-\($0.to)" } == ["bread-milk"])
    }

    @Test func eachEventPairsWithAtMostMaxNeighboursEarlierEvents() {
        let log = (0..<5).map { Self.touch("u", "i\($0)", Double($0)) }
        let pairs = BasketPairs(window: 100, maxNeighbours: 1).pairs(log)
        #expect(pairs.map { "\($0.from)-\($0.to)" } == ["i0-i1", "i1-i2", "i2-i3", "i3-i4"])
    }
}
