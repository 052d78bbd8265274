import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Distinguishes temporary files of concurrent writers in one process.
private let temporaryFileCounter = Atomic<UInt64>(0)

extension IndexImage {
    /// Maps the file at `path` read-only (its pages are read ahead, since loading checks every byte).
    static func map(path: String) throws(NearestNeighborsError) -> IndexImage {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError("open", path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw systemError("fstat", path) }
        let size = Int(status.st_size)
        guard size > 0 else { throw .truncated(needed: HNSWLayout.headerSize + 8, available: 0) }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0)
        guard let address, address != MAP_FAILED else { throw systemError("mmap", path) }
        return IndexImage(mapped: address, byteCount: size)
    }

    static func unmap(_ base: UnsafeMutableRawPointer, byteCount: Int) {
        munmap(base, byteCount)
    }

    /// Writes the image to a temporary file beside `path`, fsyncs it, renames it over `path` and fsyncs the
    /// directory, so readers see either the old file or the complete new one.
    func write(to path: String) throws(NearestNeighborsError) {
        let serial = temporaryFileCounter.wrappingAdd(1, ordering: .relaxed).oldValue
        let temporary = "\(path).tmp-\(getpid())-\(serial)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Self.systemError("open", temporary) }
        func fail(_ operation: String) -> NearestNeighborsError {
            let error = Self.systemError(operation, temporary)
            close(descriptor)
            unlink(temporary)
            return error
        }
        var written = 0
        while written < byteCount {
            let result = Glibc.write(descriptor, base + written, min(byteCount - written, 1 << 30))
            if result < 0 {
                if errno == EINTR { continue }
                throw fail("write")
            }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw fail("fsync") }
        guard close(descriptor) == 0 else {
            let error = Self.systemError("close", temporary)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = Self.systemError("rename", temporary)
            unlink(temporary)
            throw error
        }
        let directory = Self.parentDirectory(of: path)
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directoryDescriptor >= 0 else { throw Self.systemError("open", directory) }
        defer { close(directoryDescriptor) }
        guard fsync(directoryDescriptor) == 0 else { throw Self.systemError("fsync", directory) }
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    private static func systemError(_ operation: String, _ path: String) -> NearestNeighborsError {
        let code = errno
        return .io(operation: operation, path: path, code: code, message: String(cString: strerror(code)))
    }
}
