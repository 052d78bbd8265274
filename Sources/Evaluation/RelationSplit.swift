import Hashing
import EventFormats
import Models

/// The `--task pairs` split of a relations file (docs/EVALUATION.md §9): a relation is held out when
/// `h64(from, to, type) mod 5 == 0`; the others train, as directed pairs with weights summed over types.
///
/// Items are indexed in order of first appearance in the file, over train and test alike, so a model knows every
/// item (an item seen only in test has no embedding). For each `from` item with held-out relations, the targets
/// are its held-out `to` items and the negatives every other item with no relation to or from it in either part.
package struct RelationSplit: Sendable {
    /// External ids by index.
    package let itemIDs: [String]
    /// Train pairs over `itemIDs`.
    package let training: ItemPairs
    /// Relations read, and how many of them are held out.
    package let relationCount: Int
    package let heldOutCount: Int
    /// The `from` items with held-out relations, ascending, each with its held-out `to` items (ascending, distinct).
    package let targets: [(from: Int32, to: [Int32])]
    /// Per item, every item related to it in either direction in train or test (ascending, distinct).
    package let related: [[Int32]]
    /// SHA-256 of `<from>\t<to>\t<type>\n` over the train relations and over the held-out ones, each sorted by
    /// `(from, to, type)` in byte order (docs/EVALUATION.md §9).
    package let fingerprints: SplitFingerprints

    /// True when `h64(from, to, type) mod 5 == 0`.
    package static func isHeldOut(_ relation: Relation) -> Bool {
        StableHash.h64(relation.from, relation.to, relation.type) % 5 == 0
    }

    /// Splits `relations`.
    package init(_ relations: [Relation]) {
        var index: [String: Int32] = [:]
        var ids: [String] = []
        func item(_ id: String) -> Int32 {
            if let known = index[id] { return known }
            let next = Int32(ids.count)
            index[id] = next
            ids.append(id)
            return next
        }
        var trainWeights: [UInt64: Float] = [:]
        var heldOut: [Int32: Set<Int32>] = [:]
        var related: [Set<Int32>] = []
        var heldOutCount = 0
        for relation in relations {
            let from = item(relation.from), to = item(relation.to)
            if related.count < ids.count { related.append(contentsOf: repeatElement([], count: ids.count - related.count)) }
            related[Int(from)].insert(to)
            related[Int(to)].insert(from)
            if Self.isHeldOut(relation) {
                heldOut[from, default: []].insert(to)
                heldOutCount += 1
            } else {
                trainWeights[UInt64(UInt32(from)) << 32 | UInt64(UInt32(to)), default: 0] += relation.weight
            }
        }
        let keys = trainWeights.keys.sorted()
        itemIDs = ids
        training = ItemPairs(
            itemCount: ids.count, first: keys.map { Int32($0 >> 32) }, second: keys.map { Int32($0 & 0xFFFF_FFFF) },
            weights: keys.map { trainWeights[$0]! })
        relationCount = relations.count
        self.heldOutCount = heldOutCount
        targets = heldOut.keys.sorted().map { ($0, heldOut[$0]!.sorted()) }
        self.related = related.map { $0.sorted() }
        fingerprints = Self.fingerprints(of: relations)
    }

    private static func fingerprints(of relations: [Relation]) -> SplitFingerprints {
        var train = PairHasher(), test = PairHasher()
        for index in ByteOrder.positions(sortedBy: relations.map(\.from), relations.map(\.to), relations.map(\.type)) {
            let relation = relations[index]
            if isHeldOut(relation) {
                test.add(from: relation.from, to: relation.to, type: relation.type)
            } else {
                train.add(from: relation.from, to: relation.to, type: relation.type)
            }
        }
        return SplitFingerprints(train: train.finish(), test: test.finish())
    }

    /// Reads and splits the relations CSV at `path` (`from,to,type[,weight]`, weights per `types` when absent).
    package static func load(path: String, types: RelationTypeWeights = .standard) throws(EvaluationError) -> RelationSplit {
        do {
            let reader = try RelationCSVReader(path: path, types: types)
            var relations: [Relation] = []
            while let (_, relation) = try reader.next() { relations.append(relation) }
            return RelationSplit(relations)
        } catch let error as RelationCSVReader.Failure {
            throw .relations(path: path, reason: error.description)
        } catch {
            throw .relations(path: path, reason: "\(error)")
        }
    }
}
