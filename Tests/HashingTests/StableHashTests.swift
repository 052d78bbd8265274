import Hashing
import Testing

struct StableHashTests {
    /// Values from Python: `int.from_bytes(hashlib.sha256(b"\x1f".join(fields)).digest()[:8], "big")`.
    @Test func matchesTheFirstEightBytesOfSHA256BigEndian() {
        #expect(StableHash.h64("u2") == 7_827_822_162_727_968_255)
        #expect(StableHash.h64("u2", "i1") == 6_912_015_942_713_237_737)
        #expect(StableHash.h64("u3", "i9") == 9_072_265_996_048_719_239)
    }

    @Test func separatesFieldsWithTheUnitSeparator() {
        #expect(StableHash.h64("ab", "c") != StableHash.h64("a", "bc"))
        #expect(StableHash.h64("a\u{1F}b") == StableHash.h64("a", "b"))
    }

    /// Python as above; the second value is `h64("homepage", "ü-ser")`.
    @Test func hashesEmptyAndNonASCIIFields() {
        #expect(StableHash.h64("", "") == StableHash.h64("\u{1F}"))
        #expect(StableHash.h64("a", "b", "c") == StableHash.h64("a\u{1F}b\u{1F}c"))
        #expect(StableHash.h64("homepage", "ü-ser") == 1_882_924_376_186_980_295)
    }
}
