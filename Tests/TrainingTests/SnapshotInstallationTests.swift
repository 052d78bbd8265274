import EventStore
import Foundation
import Logging
import Models
import Serving
import Testing
@testable import Training

/// A set another process wrote, installed piece by piece: all of it or, when it ends early, none of it.
@Suite
struct SnapshotInstallationTests {
    /// A directory with a set a trainer wrote (pass 1, popular), and an empty one beside it to install into.
    private final class Directories {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-install-\(UUID().uuidString)").path
        var source: String { root + "/source" }
        var target: String { root + "/target" }

        init() throws {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let store = try SQLiteEventStore(path: root + "/store.sqlite")
            defer { store.close() }
            _ = try store.append((0..<40).map { Event(user: "u\($0 % 7)", item: "i\($0 % 11)", timestamp: 1_700_000_000 + Double($0)) })
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let trainer = Trainer(store: store, registry: ModelRegistry(),
                                  settings: TrainerSettings(models: [.popular], modelDirectory: source), logger: logger)
            defer { trainer.stop() }
            #expect(trainer.trainNow().status == .succeeded)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        /// The source set's files, by name.
        func sourceFiles() throws -> [(name: String, bytes: [UInt8])] {
            try FileManager.default.contentsOfDirectory(atPath: source).sorted().map { name in
                (name, Array(try Data(contentsOf: URL(fileURLWithPath: source + "/" + name))))
            }
        }

        func targetListing() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: target).sorted() }
    }

    /// Feeds `files` to `installation` in pieces of `piece` bytes.
    private static func feed(_ files: [(name: String, bytes: [UInt8])], to installation: SnapshotInstallation, piece: Int) throws {
        for file in files {
            try installation.startFile(file.name)
            for start in stride(from: 0, to: file.bytes.count, by: piece) {
                try file.bytes[start..<min(file.bytes.count, start + piece)].withUnsafeBytes { try installation.append($0) }
            }
            try installation.finishFile()
        }
    }

    @Test func installsASetFedInSmallPiecesAndLoadsIt() throws {
        let directories = try Directories()
        let files = try directories.sourceFiles()
        #expect(files.map(\.name) == ["manifest.json", "popular-1.model"])
        let installation = try SnapshotInstallation(into: SnapshotPersistence(directory: directories.target))
        try Self.feed(files, to: installation, piece: 7)
        #expect(try directories.targetListing() == ["manifest.json.tmp", "popular-1.model.tmp"], "nothing installed before commit")
        try installation.commit()
        #expect(try directories.targetListing() == ["manifest.json", "popular-1.model"])
        let loaded = SnapshotPersistence(directory: directories.target).load()
        #expect(loaded.warnings.isEmpty && loaded.set?.pass == 1 && loaded.set?.models.map(\.kind) == [.popular])
    }

    @Test func anInstallationEndedEarlyLeavesThePreviousSetAndNoTemporaryFiles() throws {
        let directories = try Directories()
        let files = try directories.sourceFiles()
        let persistence = SnapshotPersistence(directory: directories.target)
        let first = try SnapshotInstallation(into: persistence)
        try Self.feed(files, to: first, piece: 1 << 20)
        try first.commit()
        // A second download that stops inside a file (a torn set, a lost connection): dropped without commit.
        do {
            let torn = try SnapshotInstallation(into: persistence)
            try torn.startFile("popular-2.model")
            try files[1].bytes.prefix(10).withUnsafeBytes { try torn.append($0) }
        }
        #expect(try directories.targetListing() == ["manifest.json", "popular-1.model"])
        #expect(persistence.load().set?.pass == 1)
        // A set without its manifest is refused at commit, and leaves nothing behind either.
        let headless = try SnapshotInstallation(into: persistence)
        try Self.feed([files[1]], to: headless, piece: 1 << 20)
        #expect(throws: TrainingError.self) { try headless.commit() }
        #expect(throws: TrainingError.self) { try headless.startFile("../escape.model") }
    }
}
