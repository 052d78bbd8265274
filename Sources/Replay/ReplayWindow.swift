import EventStore

/// The UTC days a replay covers: `days` whole days ending with the day of the latest attributed event.
package struct ReplayWindow: Sendable, Equatable {
    /// The first day, in days since 1970-01-01 (UTC).
    package let firstDay: Int
    /// The last day, in days since 1970-01-01 (UTC): the day of the latest attributed event.
    package let lastDay: Int

    /// The `days` days ending with the day `latest` (unix seconds) falls in.
    package init(endingAt latest: Double, days: Int) {
        lastDay = Self.day(of: latest)
        firstDay = lastDay - days + 1
    }

    /// The UTC day (days since 1970-01-01) `time` (unix seconds) falls in.
    package static func day(of time: Double) -> Int {
        Int((time / 86_400).rounded(.down))
    }

    /// The first second of `day` (unix seconds).
    package static func start(of day: Int) -> Double {
        Double(day) * 86_400
    }

    /// The first second of the window.
    package var start: Double { Self.start(of: firstDay) }

    /// The events of each day of the window that has any, in day order; `events` must be in time order and
    /// events outside the window are left out.
    package func days(of events: [AttributedEvent]) -> [(day: Int, events: ArraySlice<AttributedEvent>)] {
        var days: [(day: Int, events: ArraySlice<AttributedEvent>)] = []
        var first = events.startIndex
        while first < events.endIndex {
            let day = Self.day(of: events[first].timestamp)
            var end = first + 1
            while end < events.endIndex && Self.day(of: events[end].timestamp) == day { end += 1 }
            if (firstDay...lastDay).contains(day) { days.append((day, events[first..<end])) }
            first = end
        }
        return days
    }
}
