/// The weight each event type contributes when an event gives no explicit `weight`.
package struct EventTypeWeights: Sendable, Hashable {
    /// How one type's weight is found.
    package enum Rule: Sendable, Hashable {
        /// Always this weight.
        case fixed(Float)
        /// The event's `value` field (used by `rating`).
        case value
    }

    /// Rule per type name; a type not listed here is accepted only with an explicit `weight`.
    package var rules: [String: Rule]

    /// Creates a table of rules.
    package init(rules: [String: Rule]) {
        self.rules = rules
    }

    /// The defaults from the contract: view 1, click 1, cart 2, purchase 3, rating = its `value`.
    package static let standard = EventTypeWeights(rules: [
        "view": .fixed(1),
        "click": .fixed(1),
        "cart": .fixed(2),
        "purchase": .fixed(3),
        "rating": .value,
    ])

    /// The rule for `type`, or nil when the type is not configured.
    package func rule(for type: String) -> Rule? {
        rules[type]
    }
}
