import Evaluation
import Testing

struct PopularityPercentilesTests {
    @Test func itemsGetTheMidRankPercentileOfTheirUserCount() {
        // Sorted counts 0, 1, 1, 3, 7: below 1 one item, two at 1 → (1 + 1) / 5; 7 is the largest → (4 + 0.5) / 5.
        let percentiles = PopularityPercentiles(userCounts: [3, 1, 7, 0, 1])
        #expect(percentiles.values == [70, 40, 90, 10, 40])
    }

    @Test func aCatalogueWhereEveryItemIsAsPopularSitsAtTheMiddle() {
        #expect(PopularityPercentiles(userCounts: [4, 4, 4]).values == [50, 50, 50])
    }

    @Test func accumulatorAveragesThePercentileOfEveryListEntry() throws {
        let popularity = PopularityPercentiles(userCounts: [5, 1, 3, 0])  // 87.5, 37.5, 62.5, 12.5
        var accumulator = MetricsAccumulator(ks: [2], catalogueSize: 4, popularity: popularity)
        accumulator.add(recommended: [0, 2], relevant: [1])
        accumulator.add(recommended: [3], relevant: [0])
        #expect(accumulator.results()[0].popularityPercentile == (87.5 + 62.5 + 12.5) / 3)
        #expect(MetricsAccumulator(ks: [2], catalogueSize: 4).results()[0].popularityPercentile == nil)
    }
}
