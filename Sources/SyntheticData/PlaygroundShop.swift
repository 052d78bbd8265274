/// The data set of `recsmith serve --playground`: a small shop whose answers visibly make sense.
///
/// Built on ``SyntheticCatalogue`` (items with categories, a brand, a price, colors and text; users with peaky
/// category tastes), with the event types a shop logs — `purchase`, `cart` and `view` for the catalogue's
/// weights 3, 2 and 1 — spread evenly over the `days` before `now`. ``example`` picks a user whose taste is
/// plain to see, and an item and brand of their favourite category, for the commands the playground prints.
package struct PlaygroundShop: Sendable {
    /// One event as the API takes it.
    package struct Event: Sendable, Equatable {
        package let user: String
        package let item: String
        package let type: String
        package let weight: Float
        package let timestamp: Double
    }

    /// A user to show, with what their list should lean towards.
    package struct Example: Sendable, Equatable {
        package let user: String
        /// The category most of the user's events fall in.
        package let favouriteCategory: String
        /// The share of the user's events in that category.
        package let share: Double
        /// The most interacted item of that category.
        package let item: String
        /// That item's brand.
        package let brand: String
    }

    package let catalogue: SyntheticCatalogue
    package let days: Int
    package let now: Double

    /// A shop of `users` users, `items` items and `events` events over the `days` days before `now` (unix seconds).
    package init(users: Int = 1_000, items: Int = 400, events: Int = 40_000, days: Int = 30, now: Double, seed: UInt64 = 7) {
        precondition(days > 0 && events > 0, "a playground needs events and days")
        var catalogue = SyntheticCatalogue(userCount: users, itemCount: items, eventCount: events, seed: seed)
        let span = Double(days) * 86_400
        catalogue.startTime = (now - span).rounded(.down)
        catalogue.spacing = span / Double(events)
        self.catalogue = catalogue
        self.days = days
        self.now = now
    }

    /// The item records, one JSON object per line (the API's record shape), in item order.
    package func itemRecordLines() -> [String] {
        catalogue.items().map { String($0.jsonLine.dropLast()) }
    }

    /// Every event, oldest first.
    package func events() -> [Event] {
        catalogue.events().map { event in
            Event(user: "u\(event.user)", item: "i\(event.item)", type: Self.type(ofWeight: event.weight),
                  weight: event.weight, timestamp: event.timestamp)
        }
    }

    /// Among the first 100 users with at least 20 events, the one whose events fall most in one category.
    package func example() -> Example {
        let main = catalogue.mainCategories()
        let candidates = min(100, catalogue.userCount)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: catalogue.categoryCount), count: candidates)
        var itemCounts = [Int](repeating: 0, count: catalogue.itemCount)
        catalogue.forEachEvent { event in
            itemCounts[event.item] += 1
            if event.user < candidates { counts[event.user][main[event.item]] += 1 }
        }
        var best = (user: 0, category: 0, share: -1.0)
        for (user, row) in counts.enumerated() {
            let total = row.reduce(0, +)
            guard total >= 20, let top = row.indices.max(by: { row[$0] < row[$1] }) else { continue }
            let share = Double(row[top]) / Double(total)
            if share > best.share { best = (user, top, share) }
        }
        let members = main.indices.filter { main[$0] == best.category }
        let item = members.max { itemCounts[$0] < itemCounts[$1] } ?? 0
        let brand = catalogue.items()[item].brand
        return Example(user: "u\(best.user)", favouriteCategory: catalogue.categoryName(best.category),
                       share: max(0, best.share), item: "i\(item)", brand: brand)
    }

    /// `purchase` for weight 3, `cart` for 2, `view` otherwise: the weights the service's default type table
    /// gives those types, so the stored weights equal the catalogue's.
    static func type(ofWeight weight: Float) -> String {
        weight >= 3 ? "purchase" : (weight >= 2 ? "cart" : "view")
    }
}
