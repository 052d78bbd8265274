/// Turns item documents into terms.
///
/// Every category and every label pair is one term. The text is lowercased and split into words at every
/// character that is not a letter, a mark or a digit (Unicode general categories L*, M* and N*, so `café`
/// and `東京` stay whole). Words shorter than 2 characters and the words of a small English stop list are
/// dropped.
enum ContentTokenizer {
    /// Function words that say nothing about an item.
    static let stopWords: Set<String> = [
        "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can",
        "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "if", "in", "into", "is",
        "it", "its", "more", "most", "my", "no", "not", "of", "on", "or", "our", "out", "over", "she", "so",
        "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to",
        "too", "up", "very", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with",
        "would", "you", "your",
    ]

    /// Calls `body` with every term of `document`, repeats included: categories, then labels, then words.
    /// Kinds in `skipping` are left out (their weight is 0, so they would only cost postings).
    static func forEachTerm(
        in document: ItemDocument, skipping skipped: Set<ContentTerm.Kind> = [], _ body: (ContentTerm) -> Void
    ) {
        if !skipped.contains(.category) {
            for category in document.categories { body(ContentTerm(kind: .category, name: category)) }
        }
        if !skipped.contains(.label) {
            for label in document.labels { body(ContentTerm(kind: .label, name: label.name, value: label.value)) }
        }
        if !skipped.contains(.text) {
            forEachWord(in: document.text) { body(ContentTerm(kind: .text, name: $0)) }
        }
    }

    /// Calls `body` with the kept words of `text`, lowercased, in order.
    static func forEachWord(in text: String, _ body: (String) -> Void) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var isASCII = true
        func endWord() {
            guard !bytes.isEmpty else { return }
            defer {
                bytes.removeAll(keepingCapacity: true)
                isASCII = true
            }
            // ASCII letters were lowercased byte by byte; other scripts need the full Unicode mapping.
            let word = isASCII ? String(decoding: bytes, as: UTF8.self) : String(decoding: bytes, as: UTF8.self).lowercased()
            let length = isASCII ? bytes.count : word.count
            // Every stop word has at most 5 letters: longer words skip the set lookup.
            guard length >= 2, length > 5 || !stopWords.contains(word) else { return }
            body(word)
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x41...0x5A: bytes.append(UInt8(value + 0x20))
                case 0x30...0x39, 0x61...0x7A: bytes.append(UInt8(value))
                default: endWord()
                }
            } else if isWordCharacter(scalar) {
                isASCII = false
                bytes.append(contentsOf: scalar.utf8)
            } else {
                endWord()
            }
        }
        endWord()
    }

    /// Letters, marks (so combining accents stay in their word) and digits.
    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            true
        default:
            false
        }
    }
}
