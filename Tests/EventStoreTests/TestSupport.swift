import Foundation
import TestSupport

/// A fresh directory under the system temp directory, removed when the value goes away, with the PostgreSQL
/// database made for it on first use (dropped with it).
final class TemporaryDirectory {
    let path: String
    private var database: PostgresTestDatabase?

    init() {
        path = NSTemporaryDirectory() + "recsmith-store-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The directory's PostgreSQL database on the test cluster, created on first use.
    func postgresDatabase() throws -> PostgresTestDatabase {
        if let database { return database }
        let created = try PostgresTestDatabase()
        database = created
        return created
    }
}

/// A small deterministic generator (SplitMix64) so randomised tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// True when two numbers agree to a relative tolerance.
func isClose(_ a: Double, _ b: Double, relativeTolerance: Double = 1e-6) -> Bool {
    abs(a - b) <= relativeTolerance * max(abs(a), abs(b), 1e-300)
}
