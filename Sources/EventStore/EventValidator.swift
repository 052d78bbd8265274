#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventFormats

/// Turns decoded `EventInput`s into `Event`s, all or nothing, applying the rules of `POST /events`.
///
/// Rules: `user` and `item` are required ids (``IdentifierRule``: 1 to `maxIdentifierBytes` bytes, no control
/// character, at least one visible character), so is `id` when given; `type` is a non-empty string of at most
/// `maxIdentifierBytes` without NUL that defaults to `defaultType` and must be configured in `typeWeights` unless the event gives a `weight`; the weight is
/// the explicit `weight`, else the type's fixed weight, else (for `rating`) the event's `value`, and it must
/// be greater than zero (implicit feedback has no use for zero or negative weights) and at most `maxWeight`;
/// `value` is only read, and only checked, for types weighed by it (but must be a number wherever it appears);
/// `timestamp` defaults to `now`, may be unix seconds (number or decimal string, negative before 1970) or
/// RFC 3339, and must lie between ``earliestTimestamp`` (0000-01-01T00:00:00+23:59) and `now + maxFutureSkew`.
/// A field holding JSON `null` counts as absent.
package struct EventValidator: Sendable {
    /// The rules' parameters.
    package struct Configuration: Sendable, Hashable {
        /// Weight per event type.
        package var typeWeights: EventTypeWeights
        /// Type of an event that gives none.
        package var defaultType: String
        /// Most events in one batch.
        package var maxBatchSize: Int
        /// Longest `user`, `item`, `type` and `id`, in UTF-8 bytes.
        package var maxIdentifierBytes: Int
        /// How far in the future (seconds) a timestamp may lie, for clients whose clocks run ahead.
        package var maxFutureSkew: Double
        /// The largest weight an event may carry. Sums of weights (repeated interactions, popularity) and ALS's
        /// confidence `1 + alpha·w` are float32: near float32's limit one event would overflow them and stop
        /// training, so the default leaves a margin of many orders of magnitude.
        package var maxWeight: Double

        /// Creates the rules; the defaults are the contract's.
        package init(
            typeWeights: EventTypeWeights = .standard,
            defaultType: String = "view",
            maxBatchSize: Int = 10_000,
            maxIdentifierBytes: Int = 256,
            maxFutureSkew: Double = 86_400,
            maxWeight: Double = 1_000_000
        ) {
            self.typeWeights = typeWeights
            self.defaultType = defaultType
            self.maxBatchSize = maxBatchSize
            self.maxIdentifierBytes = maxIdentifierBytes
            self.maxFutureSkew = maxFutureSkew
            self.maxWeight = maxWeight
        }
    }

    /// The rules in force.
    package var configuration: Configuration

    /// Creates a validator.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The current wall-clock time in unix seconds.
    package static func currentTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Validates a whole batch: either every event is valid and all are returned in order, or the error lists
    /// every bad index and field.
    package func validate(_ inputs: [EventInput], now: Double = currentTime()) throws(EventValidationError) -> [Event] {
        guard inputs.count <= configuration.maxBatchSize else {
            throw .batchTooLarge(count: inputs.count, limit: configuration.maxBatchSize)
        }
        var events: [Event] = []
        events.reserveCapacity(inputs.count)
        var issues: [ValidationIssue] = []
        for (index, input) in inputs.enumerated() {
            if let event = validate(input, index: index, now: now, issues: &issues), issues.isEmpty {
                events.append(event)
            }
        }
        guard issues.isEmpty else { throw .invalidEvents(issues) }
        return events
    }

    /// Validates one event; returns it, or nil after appending its issues (tagged with `index`) to `issues`.
    /// Import uses this to stream large files in chunks.
    package func validate(_ input: EventInput, index: Int, now: Double, issues: inout [ValidationIssue]) -> Event? {
        let issueCount = issues.count
        func report(_ field: EventField, _ reason: ValidationIssue.Reason) {
            issues.append(ValidationIssue(index: index, field: field, reason: reason))
        }

        let user = identifier(input.user, field: .user, required: true, in: input, report: report)
        let item = identifier(input.item, field: .item, required: true, in: input, report: report)

        var type = configuration.defaultType
        var typeIsValid = true
        if input.wrongTypes.contains(.type) {
            report(.type, .wrongType(expected: "a string"))
        } else if let given = input.type {
            type = given
            if given.isEmpty {
                report(.type, .empty)
                typeIsValid = false
            } else if given.utf8.count > configuration.maxIdentifierBytes {
                report(.type, .tooLong(limit: configuration.maxIdentifierBytes))
                typeIsValid = false
            } else if given.utf8.contains(0) {
                report(.type, .containsNUL)
                typeIsValid = false
            }
        }

        let timestamp = checkedTimestamp(input, now: now, report: report)
        var weight = checkedWeight(input.weight, field: .weight, wrongType: input.wrongTypes.contains(.weight), report: report)
        var valueChecked = false
        if input.weight == nil, !input.wrongTypes.contains(.weight) {
            switch configuration.typeWeights.rule(for: type) {
            case .fixed(let fixed)?:
                weight = fixed
            case .value?:
                valueChecked = true
                weight = checkedWeight(input.value, field: .value, wrongType: input.wrongTypes.contains(.value), report: report)
                if input.value == nil, !input.wrongTypes.contains(.value) { report(.value, .missing) }
            case nil:
                if typeIsValid { report(.type, .unknownType(type)) }
            }
        }
        // `value` only matters for types weighed by it, but a value of the wrong JSON type is malformed anywhere.
        if !valueChecked, input.wrongTypes.contains(.value) { report(.value, .wrongType(expected: "a number")) }

        let id = identifier(input.id, field: .id, required: false, in: input, report: report)
        let recommendationID = identifier(input.recommendationID, field: .recommendationID, required: false, in: input,
                                          report: report)

        guard issues.count == issueCount, let user, let item, let weight, let timestamp else { return nil }
        return Event(user: user, item: item, type: type, weight: weight, timestamp: timestamp, id: id,
                     recommendationID: recommendationID)
    }

    private func identifier(
        _ value: String?, field: EventField, required: Bool, in input: EventInput,
        report: (EventField, ValidationIssue.Reason) -> Void
    ) -> String? {
        if input.wrongTypes.contains(field) {
            report(field, .wrongType(expected: "a string"))
            return nil
        }
        guard let value else {
            if required { report(field, .missing) }
            return nil
        }
        switch IdentifierRule.violation(of: value, maxBytes: configuration.maxIdentifierBytes) {
        case nil:
            return value
        case .empty:
            report(field, .empty)
        case .tooLong(let limit):
            report(field, .tooLong(limit: limit))
        case .controlCharacter:
            report(field, .controlCharacter)
        case .invisible:
            report(field, .invisible)
        }
        return nil
    }

    private func checkedWeight(
        _ number: Double?, field: EventField, wrongType: Bool, report: (EventField, ValidationIssue.Reason) -> Void
    ) -> Float? {
        if wrongType {
            report(field, .wrongType(expected: "a number"))
            return nil
        }
        guard let number else { return nil }
        // Judged on the number as sent, so the limits are exact: at most float32's largest finite value, and
        // at least its smallest positive one (anything smaller would round to a weight of zero).
        guard number.isFinite, number <= Double(Float.greatestFiniteMagnitude) else {
            report(field, .notFinite)
            return nil
        }
        guard number >= Double(Float.leastNonzeroMagnitude) else {
            report(field, .notPositive)
            return nil
        }
        guard number <= configuration.maxWeight else {
            report(field, .aboveMaximum(configuration.maxWeight))
            return nil
        }
        return Float(number)
    }

    private func checkedTimestamp(
        _ input: EventInput, now: Double, report: (EventField, ValidationIssue.Reason) -> Void
    ) -> Double? {
        if input.wrongTypes.contains(.timestamp) {
            report(.timestamp, .wrongType(expected: "a number or a string"))
            return nil
        }
        let seconds: Double
        switch input.timestamp {
        case nil:
            return now
        case .seconds(let number)?:
            seconds = number
        case .text(let text)?:
            guard let parsed = parseTimestamp(text) else {
                report(.timestamp, .unparseableTimestamp)
                return nil
            }
            seconds = parsed
        }
        guard seconds.isFinite else {
            report(.timestamp, .notFinite)
            return nil
        }
        // Before 1970 is fine (negative unix seconds); the floor is the earliest time RFC 3339 can write.
        guard seconds >= earliestTimestamp else {
            report(.timestamp, .tooEarly)
            return nil
        }
        guard seconds <= now + configuration.maxFutureSkew else {
            report(.timestamp, .inFuture(limit: configuration.maxFutureSkew))
            return nil
        }
        return seconds
    }
}
