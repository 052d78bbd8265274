import ArgumentParser
import Foundation
import SyntheticData

/// `recsmith generate`: writes a seeded synthetic event CSV (for demos, tests and benchmarks), and with
/// `--items-output` a catalogue of item records whose categories the events' tastes follow.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic events as CSV (user,item,timestamp,weight) with power-law popularity and taste clusters.",
        discussion: """
            With --items-output, also write item records (JSON Lines: categories, labels, text) and draw the events \
            from per-user category tastes mixed with skewed popularity instead (see SyntheticCatalogue).
            """)

    @Option(help: "Number of users.") var users: Int = 10_000
    @Option(help: "Number of items.") var items: Int = 5_000
    @Option(help: "Number of events.") var events: Int = 1_000_000
    @Option(help: "Random seed; the same seed gives the same file.") var seed: UInt64 = 1
    @Option(help: "Output file; standard output when absent.") var output: String?
    @Option(help: ArgumentHelp("Also write the item records, one JSON object per line.", valueName: "file.jsonl"))
    var itemsOutput: String?
    @Option(help: "Categories of the catalogue (with --items-output).") var categories: Int = 20
    @Option(help: "Exponent of the users' category tastes; larger is peakier (with --items-output).")
    var tastePower: Double = SyntheticCatalogue.defaultTastePower
    @Option(help: "Share of popularity in each event's item choice, 0…1 (with --items-output).")
    var popularityWeight: Double = SyntheticCatalogue.defaultPopularityWeight
    @Option(help: ArgumentHelp("Also write item relations with planted clusters (from,to,type) over the --items items.",
                               valueName: "file.csv"))
    var relationsOutput: String?
    @Option(help: "Clusters of the relations (with --relations-output).") var relationClusters: Int = 10
    @Option(help: "Relations per item (with --relations-output).") var relationsPerItem: Int = 5
    @Option(help: "Share of relations to a random item rather than one of the same cluster, 0…1 (with --relations-output).")
    var relationNoise: Double = 0.1
    @Option(help: ArgumentHelp("Share of events that take a planted successor of the user's previous item, 0…1 (sequential data; "
                               + "not with --items-output).", valueName: "share"))
    var sequenceShare: Double = 0
    @Option(help: "Planted successors of every item (with --sequence-share).") var successors: Int = 3
    @Option(help: ArgumentHelp("Tiers of items that pick the successors (with --sequence-share): above 1, items fall into "
                               + "this many tiers, every item has a successor list per tier drawn from that tier, and a "
                               + "planted step after items a, b takes b's list for a's tier — the next item depends on the "
                               + "last two. 1: on the previous item alone.",
                               valueName: "tiers"))
    var successorTiers: Int = 1

    func validate() throws {
        guard users > 0, items > 0, events >= 0 else { throw ValidationError("counts must be positive") }
        guard categories > 0 else { throw ValidationError("--categories must be positive") }
        guard tastePower > 0, tastePower.isFinite else { throw ValidationError("--taste-power must be positive") }
        guard (0...1).contains(popularityWeight) else { throw ValidationError("--popularity-weight must be in 0…1") }
        guard (0...1).contains(sequenceShare) else { throw ValidationError("--sequence-share must be in 0…1") }
        guard successors > 0 else { throw ValidationError("--successors must be positive") }
        guard (1...max(1, items)).contains(successorTiers) else {
            throw ValidationError("--successor-tiers must be in 1…--items")
        }
        if sequenceShare > 0 && itemsOutput != nil {
            throw ValidationError("--sequence-share applies to the taste-cluster events, not with --items-output")
        }
        if relationsOutput != nil {
            guard relationClusters > 0, relationsPerItem >= 0, items >= 2, items / relationClusters > relationsPerItem else {
                throw ValidationError("--items / --relation-clusters must exceed --relations-per-item")
            }
            guard (0...1).contains(relationNoise) else { throw ValidationError("--relation-noise must be in 0…1") }
        }
    }

    func run() throws {
        if let relationsOutput {
            let relations = SyntheticRelations(itemCount: items, clusterCount: relationClusters, relationsPerItem: relationsPerItem,
                                               noise: relationNoise, seed: seed)
            try write(to: relationsOutput, header: "from,to,type\n") { emit in
                for relation in relations.generate() { emit(relation.csvLine) }
            }
        }
        if let itemsOutput {
            var catalogue = SyntheticCatalogue(userCount: users, itemCount: items, eventCount: events, seed: seed)
            catalogue.categoryCount = categories
            catalogue.tastePower = tastePower
            catalogue.popularityWeight = popularityWeight
            try write(to: itemsOutput) { emit in
                for item in catalogue.items() { emit(item.jsonLine) }
            }
            try write(to: output ?? "/dev/stdout", header: SyntheticEvents.csvHeader) { emit in
                catalogue.forEachEvent { emit($0.csvLine) }
            }
        } else {
            var generator = SyntheticEvents(userCount: users, itemCount: items, eventCount: events, seed: seed)
            generator.sequenceShare = sequenceShare
            generator.successorsPerItem = successors
            generator.successorTiers = successorTiers
            try write(to: output ?? "/dev/stdout", header: SyntheticEvents.csvHeader) { emit in
                generator.forEach { emit($0.csvLine) }
            }
        }
    }

    /// Writes `header` and every line `produce` emits to `path`, in 1 MiB blocks.
    private func write(to path: String, header: String = "", _ produce: ((String) -> Void) -> Void) throws {
        // Standard output is opened as it is: createFile would replace the /dev/stdout symlink with a regular file.
        guard path == "/dev/stdout" || FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw ValidationError("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer = header
        buffer.reserveCapacity(1 << 20)
        produce { line in
            buffer += line
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
    }
}
