#if canImport(Glibc)
import Glibc

extension SQLiteEventStore {
    /// The database file's size plus its write-ahead log's (a missing log counts 0).
    package var storedBytes: Int? {
        func size(_ path: String) -> Int? {
            var status = stat()
            return stat(path, &status) == 0 ? Int(status.st_size) : nil
        }
        guard let database = size(configuration.path) else { return nil }
        return database + (size(configuration.path + "-wal") ?? 0)
    }
}
#endif
