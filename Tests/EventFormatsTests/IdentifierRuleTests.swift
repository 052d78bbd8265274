import EventFormats
import Testing

struct IdentifierRuleTests {
    @Test func acceptsOrdinaryIDsVerbatim() {
        for id in ["u42", "sku-9", " padded ", "日本語", "😀", "a b", "\u{E000}", "x\u{200B}", "é", "\u{A1}"] {
            #expect(IdentifierRule.violation(of: id, maxBytes: 256) == nil, "\(id.unicodeScalars.map { $0.value })")
        }
    }

    @Test func refusesEmptyAndOverLongIDs() {
        #expect(IdentifierRule.violation(of: "", maxBytes: 256) == .empty)
        #expect(IdentifierRule.violation(of: String(repeating: "é", count: 128), maxBytes: 256) == nil)
        #expect(IdentifierRule.violation(of: String(repeating: "é", count: 129), maxBytes: 256) == .tooLong(limit: 256))
    }

    @Test func refusesEveryControlCharacter() {
        let controls = (0x00...0x1F).map { $0 } + [0x7F] + (0x80...0x9F).map { $0 }
        for value in controls {
            let scalar = Unicode.Scalar(UInt32(value))!
            #expect(IdentifierRule.violation(of: "a\(Character(scalar))b", maxBytes: 256) == .controlCharacter, "U+\(value)")
        }
        // The neighbours of C1 in UTF-8 (0xC2 0xA0…) are not controls.
        #expect(IdentifierRule.violation(of: "a\u{A0}b", maxBytes: 256) == nil)
        #expect(IdentifierRule.violation(of: "\u{100}\u{9F}", maxBytes: 256) == .controlCharacter)
    }

    @Test func refusesIDsWithNothingVisible() {
        for id in [" ", "\u{A0}", "\u{AD}", "\u{200B}", "\u{200D}\u{2060}", "\u{FEFF}", "\u{3000}", "\u{180E}", "\u{FE0F}",
                   "\u{3164}", "\u{1D173}", "\u{E0001}\u{E0020}", " \u{200B} "] {
            #expect(IdentifierRule.violation(of: id, maxBytes: 256) == .invisible, "\(id.unicodeScalars.map { $0.value })")
        }
    }

    @Test func namesTheRuleInItsMessages() {
        #expect(IdentifierRule.message(.controlCharacter).contains("control"))
        #expect(IdentifierRule.message(.invisible).contains("visible"))
    }
}
