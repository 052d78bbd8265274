import EventFormats
import LinearAlgebra

/// The catalogue in columns, by item index: what filters read and visibility is computed from.
///
/// Per category and per label value a posting set of items, per number label a dense column (NaN where an item
/// has no number there), published dates in a dense column. Strings are keys by their exact bytes (`ExactID`), as
/// filters compare them. Updated record by record (`set`): the old record's
/// entries are taken out, the new one's put in, so a write costs the record's size, not the catalogue's.
struct CatalogueColumns {
    /// The record of each item index (nil: none, or deleted).
    private(set) var records: [ItemRecord?] = []
    /// Items deleted through the API (a later record brings them back).
    private(set) var deleted = BitSet(count: 0)
    /// Hidden items.
    private(set) var hidden = BitSet(count: 0)
    /// Items with a publication or expiry date, with both dates: visibility changes with time only for them.
    private(set) var scheduled: [Int32: (published: Double?, expires: Double?)] = [:]
    private(set) var categories: [ExactID: Set<Int32>] = [:]
    /// Items with each label, as bit sets: a filter's `!=` and `EXISTS` read them whole, and label names are few.
    private(set) var labelHolders: [String: BitSet] = [:]
    /// Items by the value of a label that is one string.
    private(set) var stringLabels: [String: [ExactID: Set<Int32>]] = [:]
    /// Items by an element of a label that is an array of strings.
    private(set) var arrayLabels: [String: [ExactID: Set<Int32>]] = [:]
    private(set) var boolLabels: [String: [Bool: Set<Int32>]] = [:]
    private(set) var numberLabels: [String: [Double]] = [:]
    private(set) var publishedAt: [Double] = []

    /// Items the columns have rows for.
    var count: Int { records.count }

    /// Makes room for `index`.
    mutating func grow(toInclude index: Int32) {
        let needed = Int(index) + 1
        guard needed > records.count else { return }
        records.append(contentsOf: repeatElement(nil, count: needed - records.count))
        publishedAt.append(contentsOf: repeatElement(.nan, count: needed - publishedAt.count))
        for name in numberLabels.keys { numberLabels[name]!.append(contentsOf: repeatElement(.nan, count: needed - numberLabels[name]!.count)) }
        // Bit sets grow in whole steps, so a stream of new items does not copy them on every write.
        if needed > deleted.count {
            let capacity = max(needed, deleted.count * 2, 1024)
            deleted = deleted.resized(to: capacity)
            hidden = hidden.resized(to: capacity)
        }
    }

    /// Replaces the record of `index` (nil removes it); `isDeleted` marks a deletion through the API.
    mutating func set(_ record: ItemRecord?, at index: Int32, isDeleted: Bool = false) {
        grow(toInclude: index)
        let item = Int(index)
        if let old = records[item] { remove(old, of: index) }
        records[item] = record
        if isDeleted { deleted.insert(item) } else { deleted.remove(item) }
        if let record { add(record, of: index) }
    }

    private mutating func add(_ record: ItemRecord, of index: Int32) {
        for category in record.categories { categories[ExactID(category), default: []].insert(index) }
        for (name, value) in record.labels {
            var holders = labelHolders[name] ?? BitSet(count: 0)
            if holders.count <= Int(index) { holders = holders.resized(to: max(Int(index) + 1, holders.count * 2, 1024)) }
            holders.insert(Int(index))
            labelHolders[name] = holders
            switch value {
            case .string(let text): stringLabels[name, default: [:]][ExactID(text), default: []].insert(index)
            case .strings(let texts): for text in texts { arrayLabels[name, default: [:]][ExactID(text), default: []].insert(index) }
            case .bool(let flag): boolLabels[name, default: [:]][flag, default: []].insert(index)
            case .number(let number):
                if numberLabels[name] == nil { numberLabels[name] = [Double](repeating: .nan, count: records.count) }
                numberLabels[name]![Int(index)] = number
            }
        }
        if record.hidden { hidden.insert(Int(index)) }
        publishedAt[Int(index)] = record.publishedAt ?? .nan
        if record.publishedAt != nil || record.expiresAt != nil {
            scheduled[index] = (record.publishedAt, record.expiresAt)
        }
    }

    private mutating func remove(_ record: ItemRecord, of index: Int32) {
        for category in record.categories { Self.remove(index, from: &categories, key: ExactID(category)) }
        for (name, value) in record.labels {
            labelHolders[name]?.remove(Int(index))
            switch value {
            case .string(let text): Self.remove(index, from: &stringLabels, name: name, key: ExactID(text))
            case .strings(let texts): for text in texts { Self.remove(index, from: &arrayLabels, name: name, key: ExactID(text)) }
            case .bool(let flag): Self.remove(index, from: &boolLabels, name: name, key: flag)
            case .number: numberLabels[name]?[Int(index)] = .nan
            }
        }
        hidden.remove(Int(index))
        publishedAt[Int(index)] = .nan
        scheduled[index] = nil
    }

    private static func remove<Key: Hashable>(_ index: Int32, from postings: inout [Key: Set<Int32>], key: Key) {
        postings[key]?.remove(index)
        if postings[key]?.isEmpty == true { postings[key] = nil }
    }

    private static func remove<Key: Hashable>(_ index: Int32, from postings: inout [String: [Key: Set<Int32>]], name: String, key: Key) {
        postings[name]?[key]?.remove(index)
        if postings[name]?[key]?.isEmpty == true { postings[name]?[key] = nil }
        if postings[name]?.isEmpty == true { postings[name] = nil }
    }
}
