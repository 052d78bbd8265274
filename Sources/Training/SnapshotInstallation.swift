#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A model set another process wrote (`SnapshotPersistence.write`'s files, by name), installed into a model
/// directory as its bytes arrive, so memory holds one piece of a file at a time whatever the set's size.
///
/// Each file is written to `<name>.tmp` and fsynced when finished; `commit` renames them over their names, the
/// manifest last (so `load` sees the previous set or this one whole), and removes the archives no manifest
/// names. An installation that ends without `commit` (a download that failed, a torn set) removes its
/// temporary files and leaves the previous set as it was.
///
/// Not thread-safe: one downloading thread uses it from start to `commit`.
package final class SnapshotInstallation {
    private let persistence: SnapshotPersistence
    /// The file being written and its descriptor.
    private var current: (name: String, fd: Int32)?
    /// Files written whole, in order, waiting for `commit`.
    private var finished: [String] = []
    private var committed = false

    /// An installation into `persistence`'s directory (created when missing).
    package init(into persistence: SnapshotPersistence) throws(TrainingError) {
        self.persistence = persistence
        do {
            try FileManager.default.createDirectory(atPath: persistence.directory, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(persistence.directory): \(error)")
        }
    }

    deinit {
        if !committed { abandon() }
    }

    /// Starts the file `name`, which must be a plain name in the directory (no `/`, not hidden).
    package func startFile(_ name: String) throws(TrainingError) {
        precondition(current == nil, "finishFile before the next startFile")
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw .io("refusing to write snapshot file '\(name)' outside \(persistence.directory)")
        }
        let path = temporaryPath(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("cannot create \(path): \(String(cString: strerror(errno)))") }
        current = (name, fd)
    }

    /// Appends `bytes` to the current file.
    package func append(_ bytes: UnsafeRawBufferPointer) throws(TrainingError) {
        guard let (name, fd) = current else { preconditionFailure("append outside a file") }
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw .io("cannot write \(temporaryPath(name)): \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    /// The current file is whole: fsynced and closed, waiting for `commit`.
    package func finishFile() throws(TrainingError) {
        guard let (name, fd) = current else { preconditionFailure("finishFile outside a file") }
        current = nil
        finished.append(name)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io("cannot fsync \(temporaryPath(name)): \(String(cString: strerror(errno)))") }
    }

    /// Renames every finished file over its name, the manifest last, fsyncs the directory and removes the archives
    /// the new manifest does not name. Throws, installing nothing, when the set has no manifest.
    package func commit() throws(TrainingError) {
        precondition(current == nil, "finishFile before commit")
        let manifest = SnapshotPersistence.manifestFile
        guard finished.contains(manifest) else { throw .io("the model set has no \(manifest)") }
        for name in finished where name != manifest { try rename(name) }
        try rename(manifest)
        committed = true
        let directoryFD = open(persistence.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
        persistence.removeStaleArchives(keeping: Set(finished))
    }

    private func rename(_ name: String) throws(TrainingError) {
        let (from, to) = (temporaryPath(name), persistence.directory + "/" + name)
        guard Glibc.rename(from, to) == 0 else { throw .io("cannot rename \(from): \(String(cString: strerror(errno)))") }
    }

    /// Closes the current file and removes every temporary file of this installation.
    private func abandon() {
        if let (name, fd) = current {
            close(fd)
            finished.append(name)
            current = nil
        }
        for name in finished { unlink(temporaryPath(name)) }
    }

    private func temporaryPath(_ name: String) -> String { persistence.directory + "/" + name + ".tmp" }
}
