/// How far `recsmith import` has got, and the two ways of showing it: a bar redrawn in place on a terminal,
/// and plain lines for logs. Pure values in, text out, so the rendering is tested without a terminal.
struct ImportProgress: Equatable {
    /// Events read and validated so far.
    var events: Int
    /// Bytes of the input file parsed so far.
    var bytesRead: Int
    /// The input file's size; nil when unknown (not a regular file), and then no percentage is shown.
    var totalBytes: Int?
    /// Seconds since the import started.
    var elapsedSeconds: Double

    /// Narrowest bar drawn; a terminal with less room gets the counts alone.
    static let minimumBarWidth = 10

    /// Share of the file read, from 0 to 1 (a file that grew while being read counts as done); nil when
    /// the size is unknown or zero.
    var fraction: Double? {
        guard let totalBytes, totalBytes > 0 else { return nil }
        return min(1, max(0, Double(bytesRead) / Double(totalBytes)))
    }

    /// Whole percent read, rounded down so that 100 means the whole file.
    var percent: Int? { fraction.map { Int($0 * 100) } }

    /// Events per second since the start (0 before any time has passed).
    var eventsPerSecond: Int {
        elapsedSeconds > 0 ? Int(Double(events) / elapsedSeconds) : 0
    }

    /// Which plain line is due: tenths of the file when its size is known, millions of events otherwise.
    /// A line is written each time this grows.
    var milestone: Int { percent.map { $0 / 10 } ?? events / 1_000_000 }

    /// The log form: `imported 120000 events (42%, 512000 events/s)`.
    var plainLine: String {
        let share = percent.map { "\($0)%, " } ?? ""
        return "imported \(events) events (\(share)\(eventsPerSecond) events/s)"
    }

    /// The terminal form, at most `width` columns: ` 42% [========>           ] 120000 events, 512000 events/s`.
    /// Without a known size, or with too little room for a bar, the percentage and counts alone.
    func bar(width: Int) -> String {
        let counts = "\(events) events, \(eventsPerSecond) events/s"
        guard let fraction, let percent else { return String(counts.prefix(max(width, 0))) }
        let label = String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%"
        // Label, a space, the bracketed bar, a space, the counts.
        let barWidth = width - label.count - counts.count - 4
        guard barWidth >= Self.minimumBarWidth else { return String("\(label) \(counts)".prefix(max(width, 0))) }
        let filled = Int(fraction * Double(barWidth))
        let bar = filled == barWidth
            ? String(repeating: "=", count: barWidth)
            : String(repeating: "=", count: filled) + ">" + String(repeating: " ", count: barWidth - filled - 1)
        return "\(label) [\(bar)] \(counts)"
    }
}
