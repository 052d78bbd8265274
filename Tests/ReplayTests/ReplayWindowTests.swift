import EventStore
import Replay
import Testing

/// UTC day arithmetic of the replay window.
struct ReplayWindowTests {
    private static func event(at time: Double) -> AttributedEvent {
        AttributedEvent(user: "u", item: "i", type: "click", timestamp: time, servedAt: time, model: "als", experiment: "",
                        variant: "", position: 0)
    }

    @Test func coversWholeUTCDaysEndingWithTheLatestEventsDay() {
        // 2024-10-04T12:00:00Z.
        let window = ReplayWindow(endingAt: 1_728_043_200, days: 3)
        #expect(window.lastDay == 20_000)
        #expect(window.firstDay == 19_998)
        #expect(window.start == 19_998 * 86_400)
        #expect(ReplayWindow.day(of: 20_001 * 86_400 - 0.001) == 20_000)
        #expect(ReplayWindow.day(of: 20_001 * 86_400) == 20_001)
    }

    @Test func groupsEventsByDayAndLeavesOutThoseBeforeTheWindow() {
        let window = ReplayWindow(endingAt: 20_000 * 86_400 + 5, days: 2)
        let events = [19_998.9, 19_999.0, 19_999.5, 20_000.0, 20_000.99].map { Self.event(at: $0 * 86_400) }
        let days = window.days(of: events)
        #expect(days.map(\.day) == [19_999, 20_000])
        #expect(days.map(\.events.count) == [2, 2])
    }
}
