import OnlineLoop

/// The online loop's settings (`online.*`): recommendation ids and what is remembered of the lists served.
package struct OnlineSettings: Sendable, Hashable {
    /// Whether ranking answers carry a `recommendation_id` and what was served is remembered for attribution.
    package var recommendationIDs = true
    /// How long a served list is remembered: events naming it later are unattributed.
    package var retention: Duration = .seconds(86_400)
    /// Memory the unflushed served lists may take, in MiB; lists beyond it are dropped (and counted).
    package var memoryMiB = 64
    /// Lists per second remembered in full; above it every n-th is (weighted by n).
    package var rememberPerSecond = 200
    /// Event types that make an attributed list a conversion.
    package var conversionTypes = ["purchase"]

    package init() {}

    /// The served-list log's settings.
    package var log: ServedListLog.Settings {
        let (seconds, attoseconds) = retention.components
        return ServedListLog.Settings(
            retention: Double(seconds) + Double(attoseconds) * 1e-18, memoryLimit: memoryMiB << 20,
            rememberPerSecond: rememberPerSecond)
    }
}
