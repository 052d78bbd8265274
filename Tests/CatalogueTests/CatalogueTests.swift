import Catalogue
import LinearAlgebra
import Testing

struct CatalogueTests {
    private func record(_ categories: [String] = [], hidden: Bool = false, published: Double? = nil, expires: Double? = nil) -> ItemRecord {
        var record = ItemRecord()
        record.categories = categories
        record.hidden = hidden
        record.publishedAt = published
        record.expiresAt = expires
        return record
    }

    @Test func everyItemIsAllowedUntilOneIsHiddenOrDeleted() {
        let catalogue = Catalogue()
        catalogue.apply([(0, .put(record(["a"]))), (1, .put(record(["b"])))])
        #expect(catalogue.allowedItems(count: 4, at: 0) == nil)
        catalogue.apply([(1, .put(record(["b"], hidden: true))), (3, .delete)])
        #expect(catalogue.allowedItems(count: 4, at: 0) == BitSet(count: 4, indices: [0, 2]))
        catalogue.apply([(1, .put(record(["b"])))])
        #expect(catalogue.allowedItems(count: 4, at: 0) == BitSet(count: 4, indices: [0, 1, 2]))
        #expect(catalogue.isDeleted(item: 3))
        catalogue.apply([(3, .put(record()))])
        #expect(!catalogue.isDeleted(item: 3))
        #expect(catalogue.allowedItems(count: 4, at: 0) == nil)
    }

    @Test func datesHideItemsBeforePublicationAndFromExpiry() {
        let catalogue = Catalogue()
        catalogue.apply([(0, .put(record(published: 100))), (1, .put(record(expires: 200))), (2, .put(record()))])
        #expect(catalogue.allowedItems(count: 3, at: 50) == BitSet(count: 3, indices: [1, 2]))
        #expect(catalogue.allowedItems(count: 3, at: 100) == nil)
        #expect(catalogue.allowedItems(count: 3, at: 199.5) == nil)
        #expect(catalogue.allowedItems(count: 3, at: 200) == BitSet(count: 3, indices: [0, 2]))
    }

    @Test func theGenerationChangesWithWritesAndPassedDatesOnly() {
        let catalogue = Catalogue()
        catalogue.apply([(0, .put(record(expires: 200)))])
        let first = catalogue.visibility(at: 10).generation
        #expect(catalogue.visibility(at: 150).generation == first)
        let expired = catalogue.visibility(at: 250).generation
        #expect(expired != first)
        #expect(catalogue.visibility(at: 260).generation == expired)
        catalogue.apply([(1, .put(record()))])
        #expect(catalogue.visibility(at: 260).generation != expired)
    }

    @Test func categoriesRestrictToItemsInAnyOfThem() {
        let catalogue = Catalogue()
        catalogue.apply([(0, .put(record(["a"]))), (1, .put(record(["b", "a"]))), (2, .put(record(["c"]))), (3, .put(record(["b"], hidden: true)))])
        #expect(catalogue.allowedItems(count: 5, at: 0, categories: ["a"]) == BitSet(count: 5, indices: [0, 1]))
        #expect(catalogue.allowedItems(count: 5, at: 0, categories: ["b", "c"]) == BitSet(count: 5, indices: [1, 2]))
        #expect(catalogue.allowedItems(count: 5, at: 0, categories: ["none"]) == BitSet(count: 5))
        // A new record moves the item between categories.
        catalogue.apply([(1, .put(record(["c"])))])
        #expect(catalogue.allowedItems(count: 5, at: 0, categories: ["a"]) == BitSet(count: 5, indices: [0]))
    }

    @Test func pagesThroughRecordsInIndexOrder() {
        let catalogue = Catalogue()
        catalogue.apply((0..<7).map { (Int32($0), .put(record($0 % 2 == 0 ? ["even"] : ["odd"]))) })
        catalogue.apply([(2, .delete)])
        let first = catalogue.records(inCategory: nil, after: nil, limit: 3)
        #expect(first.page.map(\.index) == [0, 1, 3])
        #expect(first.more)
        let second = catalogue.records(inCategory: nil, after: 3, limit: 3)
        #expect(second.page.map(\.index) == [4, 5, 6])
        #expect(!second.more)
        let even = catalogue.records(inCategory: "even", after: 0, limit: 10)
        #expect(even.page.map(\.index) == [4, 6])
        #expect(catalogue.recordCount == 6)
    }

    @Test func keepsUserRecords() {
        let catalogue = Catalogue()
        var user = UserRecord()
        user.labels = ["tier": .string("gold")]
        catalogue.setUser(user, at: 4)
        #expect(catalogue.record(ofUser: 4) == user)
        catalogue.setUser(nil, at: 4)
        #expect(catalogue.record(ofUser: 4) == nil)
    }
}

struct BitSetTests {
    @Test func setOperationsWorkWordWise() {
        var a = BitSet(count: 130, indices: [0, 64, 129])
        let b = BitSet(count: 130, indices: [64, 100])
        #expect(a.cardinality == 3)
        var union = a
        union.formUnion(b)
        #expect(union == BitSet(count: 130, indices: [0, 64, 100, 129]))
        a.formIntersection(b)
        #expect(a == BitSet(count: 130, indices: [64]))
        #expect(BitSet(count: 130, indices: [1]).complemented().cardinality == 129)
        #expect(BitSet.full(count: 70).cardinality == 70)
        #expect(BitSet(count: 70, indices: [3, 69]).resized(to: 10) == BitSet(count: 10, indices: [3]))
        var seen: [Int] = []
        BitSet(count: 200, indices: [199, 5, 64]).forEach { seen.append($0) }
        #expect(seen == [5, 64, 199])
    }

    @Test func masksScoresOutsideTheSet() {
        var scores: [Float] = Array(repeating: 1, count: 70)
        BitSet(count: 66, indices: [0, 65]).complemented().complemented().maskOthers(in: &scores)
        #expect(scores.indices.filter { scores[$0] == 1 } == [0, 65])
    }
}

extension BitSet {
    fileprivate func maskOthers(in scores: inout [Float]) {
        scores.withUnsafeMutableBufferPointer { maskOthers(in: $0) }
    }
}
