/// What the content model reads of an item record: its categories, its labels flattened to name/value
/// pairs, and its free text.
///
/// Labels arrive flattened by whoever reads the record: a string label is its value, a number its shortest
/// decimal text, a boolean `true` or `false`, and an array of strings one pair per element.
package struct ItemDocument: Sendable, Equatable {
    /// One flattened label: `brand` = `acme`, or one element of an array label such as `colors` = `red`.
    package struct Label: Sendable, Hashable {
        /// The label's name.
        package var name: String
        /// The label's value as text.
        package var value: String

        /// A label `name` = `value`.
        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The item's categories, verbatim.
    package var categories: [String]
    /// The item's labels, verbatim.
    package var labels: [Label]
    /// Free text (title, description); the model splits it into words.
    package var text: String

    /// A document; every part is optional.
    package init(categories: [String] = [], labels: [Label] = [], text: String = "") {
        self.categories = categories
        self.labels = labels
        self.text = text
    }
}
