import Foundation
import Glibc
import Testing
import TestSupport

/// `recsmith import --relations`, `export --relations`, `relations derive` and `evaluate --task pairs` on the binary.
@Suite(.serialized)
struct RelationCommandTests {
    let directory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-relations-\(UUID().uuidString)")

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @Test func importsExportsAndDerivesRelations() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "from,to,type,weight\na,b,also_bought,\na,c,also_viewed,2\n".write(toFile: path("r.csv"), atomically: false, encoding: .utf8)
        let imported = try runRecsmith(["import", "--db", path("s.sqlite"), "--relations", path("r.csv")])
        #expect(imported.status == 0 && imported.output.contains("stored 2 relations (0 unchanged)"), "\(imported.error)")
        let again = try runRecsmith(["import", "--db", path("s.sqlite"), "--relations", path("r.csv")])
        #expect(again.output.contains("stored 0 relations (2 unchanged)"))
        try "from,to,type\na,a,also_bought\n".write(toFile: path("bad.csv"), atomically: false, encoding: .utf8)
        let bad = try runRecsmith(["import", "--db", path("s.sqlite"), "--relations", path("bad.csv")])
        #expect(bad.status != 0 && bad.error.contains("line 2: to names the same item as from"), "\(bad.error)")
        let exported = try runRecsmith(["export", "--db", path("s.sqlite"), "--relations"])
        #expect(exported.output == "from,to,type,weight\na,b,also_bought,1\na,c,also_viewed,2\n")

        try "user,item,timestamp\nu1,x,0\nu1,y,60\nu2,y,0\nu2,x,30\nu2,z,99999\n".write(toFile: path("e.csv"), atomically: false, encoding: .utf8)
        let derived = try runRecsmith(["relations", "derive", "--data", path("e.csv"), "--window", "10m", "--min-users", "2",
                                       "--output", path("d.csv")])
        #expect(derived.status == 0, "\(derived.error)")
        #expect(try String(contentsOfFile: path("d.csv"), encoding: .utf8) == "from,to,type,weight\nx,y,bought_together,1.2\n")
        #expect(try runRecsmith(["import", "--db", path("s.sqlite"), path("e.csv")]).status == 0)
        let stored = try runRecsmith(["relations", "derive", "--db", path("s.sqlite"), "--window", "10m"])
        #expect(stored.status == 0 && stored.output.contains("1 stored"), "\(stored.output) \(stored.error)")
    }
}

/// `relations derive --store postgresql://…` beside a server on the same database, which receives the relations
/// through its change feed.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresRelationCommandTests {
    @Test func derivesRelationsIntoAPostgresStoreWhileAServerOnItServes() throws {
        let database = try PostgresTestDatabase()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-derive-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "user,item,timestamp\nu1,x,0\nu1,y,60\nu2,y,0\nu2,x,30\nu2,z,99999\n".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(try runRecsmith(["import", "--store", database.url, file]).status == 0)
        let server = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        defer { server.removeData() }
        let derived = try runRecsmith(["relations", "derive", "--store", database.url, "--window", "10m"])
        #expect(derived.status == 0 && derived.output.contains("1 stored"), "\(derived.output) \(derived.error)")
        let client = try server.client()
        let start = ContinuousClock.now
        var related: [[String: Any]] = []
        while ContinuousClock.now - start < .seconds(1), related.isEmpty {
            related = json(client.request("GET", "/items/x/relations"))["relations"] as? [[String: Any]] ?? []
            usleep(20_000)
        }
        #expect(related.first?["to"] as? String == "y" && related.first?["type"] as? String == "bought_together")
    }
}
