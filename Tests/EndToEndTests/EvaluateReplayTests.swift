import Foundation
import Testing
import TestSupport

/// `recsmith evaluate --replay` on the hand-made store of `ReplayStore`: the table, the JSON (on stdout and in a
/// file), and the exit codes of a store with nothing to replay and of misplaced flags. In the PostgreSQL pass the
/// store is migrated into a database first and replayed from there (`--store`), with the same figures.
struct EvaluateReplayTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-replay-\(UUID().uuidString)")

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The flags naming the replay store: `--db FILE`, or `--store URL` of its copy in PostgreSQL.
    private func makeStore() throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try ReplayStore.write(to: path("store.sqlite"))
        guard EndToEndStore.isPostgres else { return ["--db", path("store.sqlite")] }
        let url = try EndToEndStore.postgresURL(for: directory)
        let migrated = try runRecsmith(["migrate", "--from", "sqlite:" + path("store.sqlite"), "--to", url])
        #expect(migrated.status == 0, "\(migrated.error)")
        return ["--store", url]
    }

    private func removeStore() {
        EndToEndStore.dropDatabase(of: directory)
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func printsATableBesideTheServedModelsAndTheSameAsJSON() throws {
        let store = try makeStore()
        defer { removeStore() }
        let table = try runRecsmith(["evaluate", "--replay", "4"] + store + ["--models", "pop", "--k", "1,2", "--json", path("replay.json")])
        #expect(table.status == 0, "\(table.error)")
        let lines = table.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "replay 2024-10-04 … 2024-10-07 (4 UTC days), k 1,2, seed 1, 64 factors")
        #expect(lines.contains { $0.hasPrefix("9 attributed events on 3 days: 6 scored, 1 repeat") })
        #expect(lines.contains("model    served  share   scored  hits@1  hit@1   hits@2  hit@2"), "\(table.output)")
        #expect(lines.contains("popular  7       0.7778  6       3       0.5000  5       0.8333"), "\(table.output)")
        #expect(lines.contains("mf       2       0.2222  -       -       -       -       -"), "\(table.output)")
        #expect(lines.contains { $0.hasPrefix("mf is not replayed: ") })
        #expect(lines.contains("popular  0.6000       0.0000"), "\(table.output)")

        let printed = try runRecsmith(["evaluate", "--replay", "4"] + store + ["--models", "pop", "--k", "1,2", "--json", "-"])
        #expect(printed.status == 0, "\(printed.error)")
        #expect(printed.output == (try String(contentsOfFile: path("replay.json"), encoding: .utf8)))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(printed.output.utf8)) as? [String: Any])
        #expect(json["events"] as? [String: Int] == ["attributed": 9, "scored": 6, "repeat": 1, "cold": 2])
        let models = try #require(json["models"] as? [[String: Any]])
        #expect(models.map { $0["model"] as? String } == ["popular", "mf"])
        #expect(models[0]["scored"] as? Int == 6)
        #expect((models[0]["hits"] as? [[String: Any]])?.map { $0["hits"] as? Int } == [3, 5])
        #expect(models[1]["replayed"] as? Bool == false)
    }

    @Test(EndToEndStore.sqliteOnly("it imports into an SQLite file of its own"))
    func exitsWithOneWhenNothingWasAttributedAndWithUsageErrorsForMisplacedFlags() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "user,item,timestamp\nu1,a,1700000000\n".write(toFile: path("events.csv"), atomically: false, encoding: .utf8)
        let imported = try runRecsmith(["import", "--db", path("plain.sqlite"), path("events.csv")])
        #expect(imported.status == 0, "\(imported.error)")
        let empty = try runRecsmith(["evaluate", "--replay", "7", "--db", path("plain.sqlite")])
        #expect(empty.status == 1)
        #expect(empty.error.contains("no attributed events"), "\(empty.error)")

        for arguments in [
            ["--replay", "0"], ["--replay", "366"], ["--replay", "7", "--data", path("events.csv")],
            ["--replay", "7", "--task", "rating"], ["--db", path("plain.sqlite"), "--data", path("events.csv")],
            ["--store", "sqlite:" + path("plain.sqlite"), "--data", path("events.csv")],
            ["--replay", "7", "--store", "mysql://localhost/db"],
        ] {
            let result = try runRecsmith(["evaluate"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.error)")
        }
    }
}
