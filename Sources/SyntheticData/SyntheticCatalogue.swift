#if canImport(Glibc)
import Glibc
#endif
import LinearAlgebra

/// A seeded catalogue with planted category tastes, in the spirit of recsys.py's `make_synthetic`, for
/// evaluating the content model without an external data set.
///
/// Every item has one main category (of `categoryCount`) and sometimes a second, labels (a brand that leans
/// towards the category, a price, one to three colors) and a text drawn mostly from its main category's own
/// words. Every user has a peaky taste over categories (uniform draws raised to `tastePower`). An event
/// picks a uniformly random user, then an item with probability ∝ `taste(user, main category) ·
/// (popularityWeight · popularity + (1 − popularityWeight) / itemCount)`, popularity being skewed
/// (`U²`, numpy's `power(0.5)`). Timestamps increase by `spacing`. The same settings give the same catalogue
/// and events, in the same order.
package struct SyntheticCatalogue: Sendable {
    /// One generated item record.
    package struct Item: Sendable, Equatable {
        /// Dense index; the id is `i<index>`.
        package let index: Int
        /// Category names, the main one first.
        package let categories: [String]
        /// The `brand` label.
        package let brand: String
        /// The `price` label.
        package let price: Double
        /// The `colors` label.
        package let colors: [String]
        /// Free text.
        package let text: String

        /// The record as one JSON line (the public item record shape), newline included.
        package var jsonLine: String {
            let categoryList = categories.map(jsonString).joined(separator: ",")
            let colorList = colors.map(jsonString).joined(separator: ",")
            return "{\"item\":\"i\(index)\",\"categories\":[\(categoryList)],\"labels\":{\"brand\":\(jsonString(brand)),"
                + "\"price\":\(price),\"colors\":[\(colorList)]},\"text\":\(jsonString(text))}\n"
        }
    }

    package var userCount: Int
    package var itemCount: Int
    package var eventCount: Int
    /// Number of categories. Default 20.
    package var categoryCount = 20
    /// Share of popularity in an event's item choice (recsys.py's `pop_weight`); the rest follows taste alone.
    /// Default 0.8.
    package var popularityWeight = SyntheticCatalogue.defaultPopularityWeight
    /// Exponent that makes tastes peaky (recsys.py's `taste_pow`). Default 5: over 20 categories a user's
    /// favourite then takes about a quarter of their taste and their top three about 60%. (recsys.py's 2.5
    /// gives its 8 genres a favourite of about a third; over 20 categories it leaves the favourite about 16%.)
    package var tastePower = SyntheticCatalogue.defaultTastePower
    package var seed: UInt64 = 1
    package var startTime: Double = 1_700_000_000
    /// Seconds between consecutive events.
    package var spacing: Double = 1

    /// The default of `popularityWeight`.
    package static let defaultPopularityWeight = 0.8
    /// The default of `tastePower`.
    package static let defaultTastePower = 5.0

    package init(userCount: Int, itemCount: Int, eventCount: Int, seed: UInt64 = 1) {
        precondition(userCount > 0 && itemCount > 0 && eventCount >= 0, "counts must be positive")
        self.userCount = userCount
        self.itemCount = itemCount
        self.eventCount = eventCount
        self.seed = seed
    }

    /// The name of category `category`.
    package func categoryName(_ category: Int) -> String {
        category < Self.categoryNames.count ? Self.categoryNames[category] : "category\(category)"
    }

    /// The main category of every item.
    package func mainCategories() -> [Int] {
        var random = Xoshiro256StarStar(seed: seed, stream: 1)
        return (0..<itemCount).map { _ in random.nextIndex(below: categoryCount) }
    }

    /// Every item, in index order.
    package func items() -> [Item] {
        let main = mainCategories()
        var random = Xoshiro256StarStar(seed: seed, stream: 2)
        let vocabularies = (0..<categoryCount).map { _ in (0..<12).map { _ in Self.pseudoWord(&random) } }
        return main.enumerated().map { index, category in
            var categories = [categoryName(category)]
            var second: Int?
            if random.nextIndex(below: 10) < 3 {
                let other = (category + 1 + random.nextIndex(below: max(1, categoryCount - 1))) % categoryCount
                if other != category {
                    categories.append(categoryName(other))
                    second = other
                }
            }
            // Half the items carry their category's house brand, so labels say something too.
            let brand = Self.brands[random.nextIndex(below: 2) == 0 ? category % Self.brands.count : random.nextIndex(below: Self.brands.count)]
            let cents = Int(Double(1000 * (1 + category % 7)) * (0.5 + Double(random.nextUnitFloat())))
            var colors: [String] = []
            for _ in 0..<(1 + random.nextIndex(below: 3)) {
                let color = Self.colors[random.nextIndex(below: Self.colors.count)]
                if !colors.contains(color) { colors.append(color) }
            }
            var words: [String] = []
            for _ in 0..<(14 + random.nextIndex(below: 9)) {
                let roll = random.nextIndex(below: 20)
                if roll < 10 {
                    words.append(vocabularies[category][random.nextIndex(below: 12)])
                } else if roll < 13, let second {
                    words.append(vocabularies[second][random.nextIndex(below: 12)])
                } else if roll < 17 {
                    words.append(Self.commonWords[random.nextIndex(below: Self.commonWords.count)])
                } else {
                    words.append(Self.stopWords[random.nextIndex(below: Self.stopWords.count)])
                }
            }
            return Item(
                index: index, categories: categories, brand: brand, price: Double(cents) / 100, colors: colors,
                text: words.joined(separator: " "))
        }
    }

    /// Calls `body` with every event, in order, without materialising them all.
    package func forEachEvent(_ body: (SyntheticEvents.Event) throws -> Void) rethrows {
        let main = mainCategories()
        var random = Xoshiro256StarStar(seed: seed, stream: 3)
        var popularity = (0..<itemCount).map { _ in
            let uniform = Double(random.nextUnitFloat())
            return uniform * uniform
        }
        let popularitySum = max(popularity.reduce(0, +), .leastNormalMagnitude)
        popularity = popularity.map { popularityWeight * $0 / popularitySum + (1 - popularityWeight) / Double(itemCount) }
        // Per category: its items, the running sum of their popularity (to draw an item), and the total.
        var members = [[Int]](repeating: [], count: categoryCount)
        for (item, category) in main.enumerated() { members[category].append(item) }
        let cumulative = members.map { items in
            var running = 0.0
            return items.map { item in
                running += popularity[item]
                return running
            }
        }
        let totals = cumulative.map { $0.last ?? 0 }
        let tastes = (0..<userCount).map { _ in
            // The tiny floor keeps a user whose draws were all 0 able to pick something.
            (0..<categoryCount).map { _ in pow(Double(random.nextUnitFloat()), tastePower) + 1e-12 }
        }
        var categoryWeights = [Double](repeating: 0, count: categoryCount)
        for index in 0..<eventCount {
            let user = random.nextIndex(below: userCount)
            var total = 0.0
            for category in 0..<categoryCount {
                total += tastes[user][category] * totals[category]
                categoryWeights[category] = total
            }
            let category = Self.draw(from: categoryWeights, target: Self.unit(&random) * total)
            let item = members[category][Self.draw(from: cumulative[category], target: Self.unit(&random) * totals[category])]
            let roll = random.nextIndex(below: 20)
            let weight: Float = roll == 0 ? 3 : (roll < 3 ? 2 : 1)
            try body(SyntheticEvents.Event(
                user: user, item: item, timestamp: startTime + Double(index) * spacing, weight: weight))
        }
    }

    /// All events as an array.
    package func events() -> [SyntheticEvents.Event] {
        var result: [SyntheticEvents.Event] = []
        result.reserveCapacity(eventCount)
        forEachEvent { result.append($0) }
        return result
    }

    /// The first index whose running sum exceeds `target` (the last non-empty one when rounding runs past).
    private static func draw(from cumulative: [Double], target: Double) -> Int {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        // Empty categories have a zero step: move back to the last one that has weight.
        while low > 0, cumulative[low] == cumulative[low - 1] { low -= 1 }
        return low
    }

    /// A uniform float64 in [0, 1).
    private static func unit(_ random: inout Xoshiro256StarStar) -> Double {
        Double(random.next() >> 11) / Double(1 << 53)
    }

    /// Three syllables, e.g. `kalomi`: the words of one category.
    private static func pseudoWord(_ random: inout Xoshiro256StarStar) -> String {
        (0..<3).map { _ in syllables[random.nextIndex(below: syllables.count)] }.joined()
    }

    static let categoryNames = [
        "shoes", "books", "garden", "toys", "kitchen", "music", "sports", "beauty", "tools", "games", "office",
        "travel", "pets", "baby", "outdoor", "lighting", "bedding", "crafts", "audio", "cameras",
    ]
    static let brands = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "cyberdyne"]
    static let colors = ["red", "blue", "green", "black", "white", "yellow", "grey", "pink"]
    static let commonWords = [
        "new", "classic", "quality", "premium", "value", "edition", "set", "pack", "original", "deluxe", "basic",
        "pro", "mini", "large", "light",
    ]
    static let stopWords = ["the", "with", "and", "for", "a", "of"]
    static let syllables = ["ka", "lo", "mi", "ra", "tu", "ve", "no", "si", "pa", "de", "ri", "gu", "zo", "fe", "ba", "yo"]
}

/// `text` as a JSON string literal.
private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
