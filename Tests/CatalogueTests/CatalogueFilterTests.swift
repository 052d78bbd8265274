import Catalogue
import Filtering
import JSON
import LinearAlgebra
import Testing

/// Filters evaluated against the catalogue's own columns (the filter grammar itself is FilteringTests' job).
struct CatalogueFilterTests {
    /// Items 0…4 with records, 5 with none (an item known only from events).
    private let catalogue: Catalogue = {
        let catalogue = Catalogue()
        let decoder = RecordDecoder()
        let records = [
            #"{"categories": ["shoes", "sale"], "labels": {"brand": "acme", "price": 49.5, "colors": ["red", "blue"], "new": true}, "published_at": 100}"#,
            #"{"categories": ["shoes"], "labels": {"brand": "zeta", "price": 120, "colors": ["black"], "new": false}, "published_at": 200}"#,
            #"{"categories": ["hats", "used"], "labels": {"brand": "acme", "price": 10}}"#,
            #"{"categories": ["hats"], "labels": {"brand": "e\u0301clair", "colors": "red"}}"#,
            #"{"text": "no labels"}"#,
        ]
        catalogue.apply(records.enumerated().map { index, text in
            (Int32(index), .put(try! decoder.itemRecord(try! JSONValue.parse(text), expectedID: "i").record))
        })
        return catalogue
    }()

    private func passing(_ filter: String) throws -> [Int] {
        let allowed = catalogue.allowedItems(count: 6, at: 1_000, filter: try FilterParser.parse(filter))
        var indices: [Int] = []
        allowed?.forEach { indices.append($0) }
        return indices
    }

    @Test func theContractExample() throws {
        #expect(try passing(#"labels.brand = "acme" AND labels.price < 50 AND NOT categories HAS "used""#) == [0])
    }

    @Test func equalityMatchesStringsNumbersBooleansAndAnyArrayElement() throws {
        #expect(try passing(#"labels.brand = "acme""#) == [0, 2])
        #expect(try passing(#"labels.price = 120"#) == [1])
        #expect(try passing(#"labels.new = false"#) == [1])
        #expect(try passing(#"labels.colors = "red""#) == [0, 3], "an array element or a plain string")
        #expect(try passing(#"labels.colors IN ("black", "blue")"#) == [0, 1])
        #expect(try passing(#"labels.price = "120""#) == [], "a type mismatch is false")
        #expect(try passing("labels.brand = \"\u{E9}clair\"") == [], "strings compare by their bytes")
        #expect(try passing("labels.brand = \"e\u{301}clair\"") == [3])
    }

    @Test func orderingComparesNumbersAndSingleStringsOnly() throws {
        #expect(try passing("labels.price >= 49.5") == [0, 1])
        #expect(try passing("labels.price < 49.5") == [2])
        #expect(try passing(#"labels.brand > "b""#) == [1, 3])
        #expect(try passing(#"labels.colors > "a""#) == [3], "arrays are never ordered")
        #expect(try passing("labels.new < true") == [])
    }

    @Test func missingFieldsAreFalseAndNotCoversItemsWithoutARecord() throws {
        #expect(try passing("EXISTS labels.price") == [0, 1, 2])
        #expect(try passing("labels.price != 10") == [0, 1], "!= needs the field")
        #expect(try passing(#"NOT categories HAS "shoes""#) == [2, 3, 4, 5])
        #expect(try passing(#"categories HAS "hats" OR labels.new = true"#) == [0, 2, 3])
    }

    @Test func publicationDatesCompareAsTimes() throws {
        #expect(try passing("published_at < 150") == [0])
        #expect(try passing(#"published_at >= "1970-01-01T00:03:20Z""#) == [1])
        #expect(try passing("EXISTS published_at") == [0, 1])
    }

    @Test func filtersAndCategoriesCombineWithVisibility() throws {
        catalogue.apply([(1, .put({ var record = catalogue.record(ofItem: 1)!; record.hidden = true; return record }()))])
        let allowed = catalogue.allowedItems(count: 6, at: 1_000, categories: ["shoes", "hats"], filter: try FilterParser.parse("EXISTS labels.brand"))
        #expect(allowed == BitSet(count: 6, indices: [0, 2, 3]))
    }
}
