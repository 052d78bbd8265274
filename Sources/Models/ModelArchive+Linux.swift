import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Distinguishes temporary files of concurrent writers in one process.
private let temporaryFileCounter = Atomic<UInt64>(0)

extension ModelArchive {
    /// Writes `bytes` to a temporary file beside `path`, fsyncs it, renames it over `path` and fsyncs the
    /// directory, so readers see either the old file or the complete new one.
    static func writeFile(_ bytes: [UInt8], to path: String) throws(ModelArchiveError) {
        let serial = temporaryFileCounter.wrappingAdd(1, ordering: .relaxed).oldValue
        let temporary = "\(path).tmp-\(getpid())-\(serial)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw systemError("open", temporary) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + written, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let error = systemError("write", temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += result
        }
        guard fsync(descriptor) == 0 else {
            let error = systemError("fsync", temporary)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard close(descriptor) == 0 else {
            let error = systemError("close", temporary)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = systemError("rename", temporary)
            unlink(temporary)
            throw error
        }
        let directory = parentDirectory(of: path)
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw systemError("open", directory) }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw systemError("fsync", directory) }
    }

    /// The whole content of the file at `path`.
    static func readFile(_ path: String) throws(ModelArchiveError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError("open", path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw systemError("fstat", path) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(status.st_size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let result = chunk.withUnsafeMutableBytes { raw in Glibc.read(descriptor, raw.baseAddress!, raw.count) }
            if result < 0 {
                if errno == EINTR { continue }
                throw systemError("read", path)
            }
            if result == 0 { break }
            bytes.append(contentsOf: chunk[0..<result])
        }
        return bytes
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func systemError(_ operation: String, _ path: String) -> ModelArchiveError {
        let code = errno
        return .io(operation: operation, path: path, code: code, message: String(cString: strerror(code)))
    }
}
