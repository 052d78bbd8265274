import Foundation

/// Where the tests find MovieLens latest-small (`events.csv`, `ratings.csv`, `movies.csv`): one lookup, the same as
/// the benchmarks' `Benchmarks/movielens-path.sh`.
///
/// The directory `RECSMITH_MOVIELENS` names when it is set (and then only that one, so a mistyped path is not
/// silently replaced by another copy); otherwise `var/ml-latest-small/` in the repository (`scripts/movielens.sh`
/// fills it), then `../shared/data/ml-latest-small/` beside the repository (the development checkout). Tests that
/// need a file skip with ``skipMessage(_:)`` when it is in none of them.
package enum MovieLensFiles {
    /// The repository's root, from this file's real location (`Tests/Support/MovieLensFiles.swift`); symlinks are
    /// resolved first, as a developer package may link this directory from elsewhere.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directories searched, in order.
    package static var candidates: [URL] {
        if let named = ProcessInfo.processInfo.environment["RECSMITH_MOVIELENS"], !named.isEmpty {
            return [URL(fileURLWithPath: named, relativeTo: repositoryRoot).standardizedFileURL]
        }
        return [
            repositoryRoot.appendingPathComponent("var/ml-latest-small"),
            repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/ml-latest-small"),
        ]
    }

    /// The path of `name` (e.g. `"events.csv"`) in the first candidate directory holding it, or nil.
    package static func path(_ name: String) -> String? {
        candidates.map { $0.appendingPathComponent(name).path }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Why a test that needs `name` is skipped: where it was looked for and how to get it.
    package static func skipMessage(_ name: String) -> String {
        "ml-latest-small's \(name) is absent (looked in "
            + candidates.map(\.path).joined(separator: ", ")
            + "; scripts/movielens.sh downloads it into var/ml-latest-small/, RECSMITH_MOVIELENS names another directory)"
    }
}
