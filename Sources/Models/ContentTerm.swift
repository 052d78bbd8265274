/// One feature of an item document. Kinds are kept apart, so the category `red`, the label `color=red` and
/// the word `red` are three different terms.
package struct ContentTerm: Hashable, Sendable, CustomStringConvertible {
    /// Where a term comes from; each kind has its own weight multiplier (`ContentParameters`).
    package enum Kind: UInt8, Sendable, CaseIterable {
        /// A category of the item.
        case category = 0
        /// A label name with one of its values.
        case label = 1
        /// A word of the item's text.
        case text = 2
    }

    /// The kind of feature.
    package let kind: Kind
    /// The category name, the label name, or the lowercased word.
    package let name: String
    /// The label's value; empty for categories and words.
    package let value: String

    /// A term of `kind`; `value` only means something for labels.
    package init(kind: Kind, name: String, value: String = "") {
        self.kind = kind
        self.name = name
        self.value = value
    }

    /// `category:shoes`, `label:brand=acme`, or the word itself (words never contain `:`).
    package var description: String {
        switch kind {
        case .category: "category:" + name
        case .label: "label:" + name + "=" + value
        case .text: name
        }
    }
}
