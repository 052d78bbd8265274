#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Models
import NearestNeighbors
import Serving

/// Writes every model set to disk after it is published, and loads the newest valid one at start-up.
///
/// Layout under the model directory: `<kind>-<pass>.model` archives (written by `ModelArchive`, temp file +
/// fsync + rename), `<kind>-<pass>.hnsw` indexes beside the models that have one and `<kind>-<pass>.similar.hnsw`
/// cosine indexes for their similar items (memory-mapped on load, so a restart does not rebuild them), and `manifest.json` with the pass facts, written last the same way, so a crash
/// mid-write leaves the previous manifest pointing at complete files or at files that fail their checksum.
package struct SnapshotPersistence: SnapshotStore {
    package let directory: String

    package init(directory: String) {
        self.directory = directory
    }

    private struct Manifest: Codable {
        struct Entry: Codable {
            let name: String
            let file: String
            let trainingSeconds: Double
            let users: Int
            let items: Int
            let events: Int
            /// Held-out figures (`serving.model = auto`); absent in manifests written before them.
            let evaluation: HeldOutMetrics?
            /// The model's HNSW index file, when it has one.
            let index: String?
            /// The model's cosine index for similar items, when it has one; absent in manifests written before them.
            let similarityIndex: String?
        }

        let pass: Int
        let trainedAt: Double
        let models: [Entry]
        /// The chosen default model; absent unless `serving.model = auto` chose one.
        let defaultModel: String?
    }

    /// The manifest's file name in `directory`.
    package static let manifestFile = "manifest.json"

    package func save(_ set: ModelSet) throws {
        try write(set)
    }

    /// Writes `set` and returns the names of the files that hold it, the manifest last.
    @discardableResult
    package func write(_ set: ModelSet) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var entries: [Manifest.Entry] = []
        for trained in set.models {
            let file = "\(trained.kind.rawValue)-\(set.pass).model"
            try ModelArchive.write(trained.model, to: directory + "/" + file)
            let indexFile = try save(trained.index, as: "\(trained.kind.rawValue)-\(set.pass).hnsw")
            let similarityFile = try save(trained.similarityIndex, as: "\(trained.kind.rawValue)-\(set.pass).similar.hnsw")
            entries.append(Manifest.Entry(name: trained.kind.rawValue, file: file, trainingSeconds: trained.trainingSeconds,
                                          users: trained.users, items: trained.items, events: trained.events,
                                          evaluation: trained.evaluation, index: indexFile, similarityIndex: similarityFile))
        }
        let manifest = Manifest(pass: set.pass, trainedAt: set.trainedAt, models: entries, defaultModel: set.defaultModel?.rawValue)
        let data = try JSONEncoder().encode(manifest)
        try writeAtomically(Array(data), to: directory + "/" + Self.manifestFile)
        let files = entries.map(\.file) + entries.compactMap(\.index) + entries.compactMap(\.similarityIndex)
        removeStaleArchives(keeping: Set(files))
        return files + [Self.manifestFile]
    }

    /// Loads the persisted set. Models whose archive is missing or corrupt are skipped and reported.
    package func load() -> (set: ModelSet?, warnings: [String]) {
        let path = directory + "/" + Self.manifestFile
        guard FileManager.default.fileExists(atPath: path) else { return (nil, []) }
        guard let data = FileManager.default.contents(atPath: path),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data)
        else {
            return (nil, ["model manifest \(path) is unreadable; starting without persisted models"])
        }
        var warnings: [String] = []
        var models: [TrainedModel] = []
        for entry in manifest.models {
            do {
                let model = try ModelArchive.read(from: directory + "/" + entry.file)
                models.append(TrainedModel(model: model, trainingSeconds: entry.trainingSeconds,
                                           users: entry.users, items: entry.items, events: entry.events,
                                           evaluation: entry.evaluation,
                                           index: loadIndex(entry.index, of: entry.name, warnings: &warnings),
                                           similarityIndex: loadIndex(entry.similarityIndex, of: entry.name, warnings: &warnings)))
            } catch {
                warnings.append("skipping model snapshot \(entry.file): \(error)")
            }
        }
        guard !models.isEmpty else { return (nil, warnings) }
        let defaultModel = manifest.defaultModel.flatMap(ModelKind.init(rawValue:)).flatMap { kind in
            models.contains { $0.kind == kind } ? kind : nil
        }
        return (ModelSet(pass: manifest.pass, trainedAt: manifest.trainedAt, models: models, defaultModel: defaultModel), warnings)
    }

    /// Writes `index` as `file` and returns the name, or nil without an index.
    private func save(_ index: HNSWIndex?, as file: String) throws -> String? {
        guard let index else { return nil }
        try index.save(to: directory + "/" + file)
        return file
    }

    /// The index in `file` (memory-mapped), or nil without one; one that fails to load is reported and left out,
    /// and the model serves by scoring every item.
    private func loadIndex(_ file: String?, of model: String, warnings: inout [String]) -> HNSWIndex? {
        guard let file else { return nil }
        do {
            return try HNSWIndex.load(from: directory + "/" + file)
        } catch {
            warnings.append("serving \(model) without its index \(file): \(error)")
            return nil
        }
    }

    /// Removes the model archives and indexes in the directory whose names are not in `current`.
    func removeStaleArchives(keeping current: Set<String>) {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for file in files where (file.hasSuffix(".model") || file.hasSuffix(".hnsw")) && !current.contains(file) {
            try? FileManager.default.removeItem(atPath: directory + "/" + file)
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, fsyncs it, renames it over `path`, and fsyncs the directory.
func writeAtomically(_ bytes: [UInt8], to path: String) throws(TrainingError) {
    let temporary = path + ".tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io("cannot create \(temporary): \(String(cString: strerror(errno)))") }
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        guard written > 0 else {
            close(fd)
            throw .io("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        offset += written
    }
    guard fsync(fd) == 0 else {
        close(fd)
        throw .io("cannot fsync \(temporary): \(String(cString: strerror(errno)))")
    }
    close(fd)
    guard rename(temporary, path) == 0 else { throw .io("cannot rename \(temporary): \(String(cString: strerror(errno)))") }
    let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if directoryFD >= 0 {
        fsync(directoryFD)
        close(directoryFD)
    }
}
