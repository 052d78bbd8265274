/// A fixed-size set of indices `0..<count` as 64-bit words: the item masks that filters and visibility build
/// and scoring applies.
///
/// Set operations work a word at a time, so combining masks over 100,000 items touches 1,563 words. Bits at
/// or past `count` are always zero. A value type with copy-on-write storage.
package struct BitSet: Sendable, Equatable {
    /// The storage; bit `i % 64` of word `i / 64` is index `i`.
    package private(set) var words: [UInt64]
    /// How many indices the set ranges over.
    package let count: Int

    /// An empty set over `0..<count`.
    package init(count: Int) {
        precondition(count >= 0, "count must not be negative")
        self.count = count
        words = [UInt64](repeating: 0, count: (count + 63) / 64)
    }

    /// The full set `0..<count`.
    package static func full(count: Int) -> BitSet {
        var set = BitSet(count: count)
        set.words.withUnsafeMutableBufferPointer { $0.update(repeating: ~0) }
        set.clearTail()
        return set
    }

    /// A set over `0..<count` holding `indices` (those out of range are ignored).
    package init<Indices: Sequence>(count: Int, indices: Indices) where Indices.Element: BinaryInteger {
        self.init(count: count)
        for index in indices { insert(Int(index)) }
    }

    /// True when `index` is in the set (false when out of range).
    @inlinable
    package func contains(_ index: Int) -> Bool {
        guard index >= 0, index < count else { return false }
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Adds `index`; out of range is ignored.
    package mutating func insert(_ index: Int) {
        guard index >= 0, index < count else { return }
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    /// Removes `index`; out of range is ignored.
    package mutating func remove(_ index: Int) {
        guard index >= 0, index < count else { return }
        words[index >> 6] &= ~(1 << UInt64(index & 63))
    }

    /// How many indices are in the set.
    package var cardinality: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// True when no index is in the set.
    package var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// Keeps only the indices also in `other` (over the same count).
    package mutating func formIntersection(_ other: BitSet) {
        precondition(other.count == count, "sets must range over the same count")
        combine(other) { $0 & $1 }
    }

    /// Adds every index of `other` (over the same count).
    package mutating func formUnion(_ other: BitSet) {
        precondition(other.count == count, "sets must range over the same count")
        combine(other) { $0 | $1 }
    }

    /// Removes every index of `other` (over the same count).
    package mutating func subtract(_ other: BitSet) {
        precondition(other.count == count, "sets must range over the same count")
        combine(other) { $0 & ~$1 }
    }

    /// Every index of `0..<count` not in the set.
    package func complemented() -> BitSet {
        var result = self
        result.words.withUnsafeMutableBufferPointer { words in
            for index in words.indices { words[index] = ~words[index] }
        }
        result.clearTail()
        return result
    }

    /// The set over `newCount` indices: the same members below it, none above.
    package func resized(to newCount: Int) -> BitSet {
        var result = BitSet(count: newCount)
        let shared = min(words.count, result.words.count)
        result.words.replaceSubrange(0..<shared, with: words[0..<shared])
        result.clearTail()
        return result
    }

    /// Calls `body` with every index in the set, in increasing order.
    package func forEach(_ body: (Int) throws -> Void) rethrows {
        for (wordIndex, word) in words.enumerated() {
            var remaining = word
            while remaining != 0 {
                try body(wordIndex << 6 + remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
    }

    /// Sets `scores[i]` to `-infinity` for every `i` not in the set (every `i` at or past `count` too), so
    /// top-k selection never picks it. Skips whole words that are full.
    package func maskOthers(in scores: UnsafeMutableBufferPointer<Float>) {
        let covered = min(scores.count, count)
        words.withUnsafeBufferPointer { words in
            var wordIndex = 0
            while wordIndex << 6 < covered {
                let word = words[wordIndex]
                let base = wordIndex << 6
                let width = min(64, covered - base)
                if word == 0 {
                    UnsafeMutableBufferPointer(rebasing: scores[base..<base + width]).update(repeating: -.infinity)
                } else if word != ~0 {
                    for bit in 0..<width where word & (1 << UInt64(bit)) == 0 { scores[base + bit] = -.infinity }
                }
                wordIndex += 1
            }
        }
        for index in covered..<scores.count { scores[index] = -.infinity }
    }

    private mutating func combine(_ other: BitSet, _ operation: (UInt64, UInt64) -> UInt64) {
        other.words.withUnsafeBufferPointer { theirs in
            words.withUnsafeMutableBufferPointer { ours in
                for index in ours.indices { ours[index] = operation(ours[index], theirs[index]) }
            }
        }
    }

    /// Zeroes the bits at or past `count` in the last word.
    private mutating func clearTail() {
        let used = count & 63
        guard used != 0, !words.isEmpty else { return }
        words[words.count - 1] &= (1 << UInt64(used)) - 1
    }
}
