/// Derives `bought_together` relations from an event log (`recsmith relations derive`): two distinct items one
/// user touched within `window` seconds of each other are a basket pair. Each pair is counted once per user; a
/// pair that at least `minUsers` users share becomes one relation, from the smaller id to the larger (basket
/// co-occurrence has no direction). A user's events are taken in time order; each event pairs with at
/// most `maxNeighbours` earlier ones, so a burst of thousands of events stays linear.
package struct BasketPairs: Sendable {
    package let window: Double
    package let minUsers: Int
    package let maxNeighbours: Int

    package init(window: Double, minUsers: Int = 1, maxNeighbours: Int = 50) {
        precondition(window >= 0 && minUsers >= 1 && maxNeighbours >= 1)
        self.window = window
        self.minUsers = minUsers
        self.maxNeighbours = maxNeighbours
    }

    /// One event, reduced to what derivation reads.
    package struct Touch: Sendable {
        package let user: String
        package let item: String
        package let timestamp: Double
        package init(user: String, item: String, timestamp: Double) {
            self.user = user
            self.item = item
            self.timestamp = timestamp
        }
    }

    /// The derived pairs with the number of users behind each, sorted by (from, to).
    package func pairs(_ touches: [Touch]) -> [(from: String, to: String, users: Int)] {
        var itemIndex: [String: Int32] = [:]
        var itemNames: [String] = []
        var byUser: [String: [(time: Double, item: Int32)]] = [:]
        for touch in touches {
            let item = itemIndex[touch.item] ?? {
                let next = Int32(itemNames.count)
                itemIndex[touch.item] = next
                itemNames.append(touch.item)
                return next
            }()
            byUser[touch.user, default: []].append((touch.timestamp, item))
        }
        var counts: [UInt64: Int] = [:]
        for (_, events) in byUser {
            let ordered = events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            var pairsOfUser = Set<UInt64>()
            for (position, event) in ordered.enumerated() {
                var earlier = position - 1
                var neighbours = 0
                while earlier >= 0, neighbours < maxNeighbours, event.time - ordered[earlier].time <= window {
                    let other = ordered[earlier].item
                    if other != event.item { pairsOfUser.insert(Self.key(first: other, then: event.item, names: itemNames)) }
                    earlier -= 1
                    neighbours += 1
                }
            }
            for pair in pairsOfUser { counts[pair, default: 0] += 1 }
        }
        return counts.compactMap { key, users in
            guard users >= minUsers else { return nil }
            return (itemNames[Int(key >> 32)], itemNames[Int(key & 0xFFFF_FFFF)], users)
        }.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
    }

    /// The pair's key, the smaller id first, so either order gives one key.
    private static func key(first: Int32, then second: Int32, names: [String]) -> UInt64 {
        let (a, b) = names[Int(first)] <= names[Int(second)] ? (first, second) : (second, first)
        return UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))
    }
}
