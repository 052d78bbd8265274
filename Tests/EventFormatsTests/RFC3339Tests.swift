import Foundation
import Testing
@testable import EventFormats

/// `RFC3339.format`, the one way answers write times: the same text as Foundation's internet date-time in UTC, down
/// to the second, before 1970 too, and read back by `RFC3339.parse` to the whole second.
struct RFC3339Tests {
    @Test(arguments: [0.0, 0.9, 59.999, 86_399, 86_400, 951_782_400, 1_700_000_000.5, 1_796_459_119, 4_102_444_800,
                      -1, -0.5, -86_400, -86_401, -2_208_988_800])
    func formatsAsFoundationDoesAndReadsBack(_ seconds: Double) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = RFC3339.format(seconds)
        #expect(text == formatter.string(from: Date(timeIntervalSince1970: seconds.rounded(.down))))
        let parsed = Array(text.utf8).withUnsafeBufferPointer { RFC3339.parse($0) }
        #expect(parsed == seconds.rounded(.down))
    }

    @Test func writesADayAsItsDate() {
        #expect(RFC3339.date(days: 0) == "1970-01-01")
        #expect(RFC3339.date(days: 11016) == "2000-02-29")
        #expect(RFC3339.date(days: -1) == "1969-12-31")
    }
}
