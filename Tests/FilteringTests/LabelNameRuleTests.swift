import Filtering
import Testing

struct LabelNameRuleTests {
    @Test func acceptsOneTo64LettersDigitsUnderscoresAndDashes() {
        #expect(LabelNameRule.isValid("a"))
        #expect(LabelNameRule.isValid("Brand_name-2"))
        #expect(LabelNameRule.isValid("-"))
        #expect(LabelNameRule.isValid(String(repeating: "x", count: 64)))
    }

    @Test func rejectsEmptyLongAndOtherCharacters() {
        #expect(!LabelNameRule.isValid(""))
        #expect(!LabelNameRule.isValid(String(repeating: "x", count: 65)))
        for name in ["a.b", "a b", "é", "a/b", "a\u{0}", "ａ"] {
            #expect(!LabelNameRule.isValid(name), "\(name)")
        }
    }
}
