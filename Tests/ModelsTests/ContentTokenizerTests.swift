@testable import Models
import Testing

struct ContentTokenizerTests {
    private func words(_ text: String) -> [String] {
        var words: [String] = []
        ContentTokenizer.forEachWord(in: text) { words.append($0) }
        return words
    }

    @Test func lowercasesAndSplitsOnEverythingButLettersMarksAndDigits() {
        #expect(words("Hello, WORLD!  x86-64 café_au-lait") == ["hello", "world", "x86", "64", "café", "au", "lait"])
        // A combining accent stays in its word; other scripts are words too; lowercasing is Unicode's.
        #expect(words("Cafe\u{301} ÜBER 東京 Straße") == ["cafe\u{301}", "über", "東京", "straße"])
    }

    @Test func dropsWordsShorterThanTwoCharactersAndStopWords() {
        #expect(words("It's a dog and the cat of 9 lives") == ["dog", "cat", "lives"])
        // "é" written as e + U+0301 is one character, so it is dropped like "a".
        #expect(words("e\u{301} é ok") == ["ok"])
        // The tokenizer looks words longer than 5 letters up in the stop list only if one could be there.
        #expect(ContentTokenizer.stopWords.allSatisfy { $0.count <= 5 })
    }

    @Test func keepsTheThreeKindsApart() {
        let document = ItemDocument(
            categories: ["red"], labels: [.init(name: "color", value: "red")], text: "Red red")
        var terms: [String] = []
        ContentTokenizer.forEachTerm(in: document) { terms.append($0.description) }
        #expect(terms == ["category:red", "label:color=red", "red", "red"])
        var withoutLabels: [String] = []
        ContentTokenizer.forEachTerm(in: document, skipping: [.label]) { withoutLabels.append($0.description) }
        #expect(withoutLabels == ["category:red", "red", "red"])
    }
}
