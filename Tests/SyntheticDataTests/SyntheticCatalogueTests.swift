import Foundation
import Testing
@testable import SyntheticData

struct SyntheticCatalogueTests {
    private let catalogue = SyntheticCatalogue(userCount: 300, itemCount: 400, eventCount: 30_000, seed: 3)

    @Test func sameSeedGivesSameCatalogueAndEvents() {
        #expect(catalogue.items() == catalogue.items())
        #expect(catalogue.events() == catalogue.events())
        var other = catalogue
        other.seed = 4
        #expect(other.items() != catalogue.items())
        #expect(other.events() != catalogue.events())
    }

    @Test func itemsHaveCategoriesLabelsAndText() throws {
        let items = catalogue.items()
        let main = catalogue.mainCategories()
        #expect(items.count == 400)
        for item in items {
            #expect((1...2).contains(item.categories.count) && item.categories[0] == catalogue.categoryName(main[item.index]))
            #expect(Set(item.categories).count == item.categories.count)
            #expect(item.price > 0 && (1...3).contains(item.colors.count) && !item.brand.isEmpty)
            #expect(item.text.split(separator: " ").count >= 14)
        }
        // Each line is one JSON object in the public record shape.
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(items[0].jsonLine.utf8)) as? [String: Any])
        #expect(object["item"] as? String == "i0")
        #expect(object["categories"] as? [String] == items[0].categories)
        let labels = try #require(object["labels"] as? [String: Any])
        #expect(labels["brand"] as? String == items[0].brand && labels["colors"] as? [String] == items[0].colors)
        #expect((labels["price"] as? NSNumber)?.doubleValue == items[0].price)
        #expect(object["text"] as? String == items[0].text)
        #expect(items[0].jsonLine.hasSuffix("}\n"))
    }

    @Test func eventsFollowPlantedCategoryTastes() {
        let events = catalogue.events()
        let main = catalogue.mainCategories()
        #expect(events.count == 30_000)
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.timestamp < $1.timestamp })
        #expect(events.allSatisfy { (0..<300).contains($0.user) && (0..<400).contains($0.item) })
        // A user's favourite category takes far more than the 1/20 of a taste-blind choice.
        var counts = [[Int]](repeating: [Int](repeating: 0, count: catalogue.categoryCount), count: 300)
        for event in events { counts[event.user][main[event.item]] += 1 }
        let favouriteShare = Double(counts.map { $0.max() ?? 0 }.reduce(0, +)) / Double(events.count)
        #expect(favouriteShare > 0.2, "\(favouriteShare)")
        // Popularity is skewed: the most popular tenth of the items draws well over a tenth of the events.
        var itemCounts = [Int](repeating: 0, count: 400)
        for event in events { itemCounts[event.item] += 1 }
        #expect(itemCounts.sorted(by: >).prefix(40).reduce(0, +) > events.count / 5)
    }
}
