import JSON
import SyntheticData
import Testing

/// The playground's shop: shop-like event types over the last days, valid records, a user whose taste shows.
@Suite struct PlaygroundShopTests {
    let shop = PlaygroundShop(users: 200, items: 80, events: 6_000, days: 30, now: 1_800_000_000)

    @Test func eventsAreTypedLikeAShopAndSpreadOverTheDaysBeforeNow() {
        let events = shop.events()
        #expect(events.count == 6_000)
        #expect(Set(events.map(\.type)) == ["purchase", "cart", "view"])
        for event in events {
            #expect(event.weight == (event.type == "purchase" ? 3 : event.type == "cart" ? 2 : 1))
        }
        #expect(events.first!.timestamp >= 1_800_000_000 - 30 * 86_400)
        #expect(events.last!.timestamp < 1_800_000_000)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.timestamp <= $1.timestamp })
        let views = events.filter { $0.type == "view" }.count
        #expect(views > events.count / 2, "views are the common event in a shop")
    }

    @Test func itemRecordsAreJSONObjectsWithCategoriesAndLabels() throws {
        let lines = shop.itemRecordLines()
        #expect(lines.count == 80)
        for (index, line) in lines.enumerated() {
            let record = try JSONValue.parse(line)
            guard case .object(let members) = record else {
                Issue.record("line \(index) is not an object")
                continue
            }
            let keys = members.map(\.key)
            #expect(keys.contains("item") && keys.contains("categories") && keys.contains("labels"))
            #expect(!line.contains("\n"))
        }
    }

    @Test func exampleUserHasAClearFavouriteAndItsTopSeller() {
        let example = shop.example()
        #expect(example.share > 0.4, "the example user's favourite category takes \(example.share)")
        let userEvents = shop.events().filter { $0.user == example.user }
        #expect(userEvents.count >= 20)
        let records = shop.itemRecordLines()
        let index = Int(example.item.dropFirst())!
        #expect(records[index].contains("\"categories\":[\"\(example.favouriteCategory)\""))
        #expect(records[index].contains("\"brand\":\"\(example.brand)\""))
    }

    @Test func theSameClockGivesTheSameShop() {
        let again = PlaygroundShop(users: 200, items: 80, events: 6_000, days: 30, now: 1_800_000_000)
        #expect(again.events() == shop.events())
        #expect(again.example() == shop.example())
    }
}
