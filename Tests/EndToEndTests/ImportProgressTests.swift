import Foundation
import Testing
@testable import recsmith

struct ImportProgressTests {
    private let halfway = ImportProgress(events: 1200, bytesRead: 420, totalBytes: 1000, elapsedSeconds: 2)

    @Test func drawsPercentageBarEventsAndRateInExactlyTheWidth() {
        #expect(halfway.bar(width: 60) == " 42% [===========>               ] 1200 events, 600 events/s")
        #expect(halfway.bar(width: 60).count == 60)
    }

    @Test func neverExceedsTheWidth() {
        for bytesRead in [0, 1, 420, 999, 1000, 5000] {
            for width in -1...160 {
                var progress = halfway
                progress.bytesRead = bytesRead
                #expect(progress.bar(width: width).count <= max(width, 0), "\(bytesRead) bytes, width \(width)")
            }
        }
    }

    @Test func clampsAtOneHundredPercentWhenMoreThanTheSizeWasRead() {
        var grown = halfway
        grown.bytesRead = 1500
        #expect(grown.percent == 100)
        #expect(grown.bar(width: 60) == "100% [===========================] 1200 events, 600 events/s")
        #expect(grown.plainLine == "imported 1200 events (100%, 600 events/s)")
    }

    @Test func showsOneHundredPercentOnlyForTheWholeFile() {
        var almost = halfway
        almost.bytesRead = 999
        #expect(almost.percent == 99)
        #expect(almost.bar(width: 60).hasPrefix(" 99% [==========================>]"))
        almost.bytesRead = 0
        #expect(almost.bar(width: 60).hasPrefix("  0% [>                          ]"))
    }

    @Test func dropsTheBarWhenTheTerminalIsTooNarrow() {
        #expect(halfway.bar(width: 40) == " 42% 1200 events, 600 events/s")
        #expect(halfway.bar(width: 12) == " 42% 1200 ev")
    }

    @Test func showsCountsAloneWhenTheSizeIsUnknown() {
        let unknown = ImportProgress(events: 2_500_000, bytesRead: 420, totalBytes: nil, elapsedSeconds: 5)
        #expect(unknown.percent == nil)
        #expect(unknown.bar(width: 80) == "2500000 events, 500000 events/s")
        #expect(unknown.plainLine == "imported 2500000 events (500000 events/s)")
        #expect(unknown.milestone == 2)
        var empty = unknown
        empty.totalBytes = 0
        #expect(empty.percent == nil)
    }

    @Test func plainLinesAreDueAtEachTenthOfTheFile() {
        #expect(halfway.plainLine == "imported 1200 events (42%, 600 events/s)")
        let milestones = [0, 99, 100, 420, 999, 1000].map {
            ImportProgress(events: 1, bytesRead: $0, totalBytes: 1000, elapsedSeconds: 1).milestone
        }
        #expect(milestones == [0, 0, 1, 4, 9, 10])
    }

    @Test func reportsNoRateBeforeAnyTimeHasPassed() {
        #expect(ImportProgress(events: 10, bytesRead: 1, totalBytes: 10, elapsedSeconds: 0).eventsPerSecond == 0)
    }

    @Test func importOnANonTerminalPrintsPlainCountsAndTheSummary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("events.csv").path
        #expect(try runRecsmith(["generate", "--users", "50", "--items", "80", "--events", "5000", "--output", csv]).status == 0)

        for (source, database) in [(csv, "a.sqlite"), (directory.appendingPathComponent("events.jsonl").path, "b.sqlite")] {
            if source.hasSuffix(".jsonl") {
                let exported = try runRecsmith(["export", "--db", directory.appendingPathComponent("a.sqlite").path,
                                                "--format", "jsonl", "--output", source])
                #expect(exported.status == 0)
            }
            let imported = try runRecsmith(["import", "--db", directory.appendingPathComponent(database).path,
                                            "--batch-size", "500", source])
            #expect(imported.status == 0, "\(imported.error)")
            #expect(imported.output.contains("read 5000 events: 5000 stored, 0 duplicates"), "\(imported.output)")
            #expect(!imported.error.contains("\u{1B}"), "no terminal control sequences when not on a terminal")
            let lines = imported.error.split(separator: "\n").map(String.init)
            let counts = lines.compactMap { line -> (events: Int, percent: Int)? in
                let words = line.split(separator: " ")
                guard words.count == 6, words[0] == "imported", words[2] == "events", let events = Int(words[1]),
                      let percent = Int(words[3].dropFirst().dropLast(2)) else { return nil }
                return (events, percent)
            }
            #expect(counts.count == lines.count, "every progress line is a plain count: \(lines)")
            #expect(counts.count >= 5, "a line at (most) tenths of the file: \(lines)")
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0.events < $1.events && $0.percent / 10 < $1.percent / 10 })
            #expect(counts.last?.events == 5000)
            #expect(counts.last?.percent == 100)
        }
    }
}
