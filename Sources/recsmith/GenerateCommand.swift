import ArgumentParser
import Foundation
import SyntheticData

/// `recsmith generate`: writes a seeded synthetic event CSV (for demos, tests and benchmarks).
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic events as CSV (user,item,timestamp,weight) with power-law popularity and taste clusters."
    )

    @Option(help: "Number of users.") var users: Int = 10_000
    @Option(help: "Number of items.") var items: Int = 5_000
    @Option(help: "Number of events.") var events: Int = 1_000_000
    @Option(help: "Random seed; the same seed gives the same file.") var seed: UInt64 = 1
    @Option(help: "Output file; standard output when absent.") var output: String?

    func validate() throws {
        guard users > 0, items > 0, events >= 0 else { throw ValidationError("counts must be positive") }
    }

    func run() throws {
        let generator = SyntheticEvents(userCount: users, itemCount: items, eventCount: events, seed: seed)
        let path = output ?? "/dev/stdout"
        guard FileManager.default.createFile(atPath: path, contents: nil) || path == "/dev/stdout",
              let handle = FileHandle(forWritingAtPath: path)
        else { throw ValidationError("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer = SyntheticEvents.csvHeader
        buffer.reserveCapacity(1 << 20)
        generator.forEach { event in
            buffer += event.csvLine
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
    }
}
