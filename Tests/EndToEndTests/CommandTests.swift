import Foundation
import Testing

/// Runs `recsmith` with `arguments`; returns the exit status, standard output and standard error.
private func recsmith(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = ServerProcess.binary
    process.arguments = arguments
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
}

@Suite(.serialized)
struct CommandTests {
    let directory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-cli-\(UUID().uuidString)")

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @Test func importsAndExportsItemAndUserRecords() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
            {"item": "a", "categories": ["shoes", "sale"], "labels": {"brand": "acme", "price": 49.5}}

            {"item": "b", "text": "blue suede", "hidden": true}
            """.write(toFile: path("items.jsonl"), atomically: false, encoding: .utf8)
        try """
            item,categories,labels_json,text,hidden,published_at,expires_at
            c,hats|sale,"{""size"": [""s"", ""m""]}",a hat,false,2026-01-01T00:00:00Z,
            d,,,,,,1798675200
            """.write(toFile: path("items.csv"), atomically: false, encoding: .utf8)
        try "user,labels_json\nu1,\"{\"\"tier\"\": \"\"gold\"\"}\"\n".write(toFile: path("users.csv"), atomically: false, encoding: .utf8)
        for (flag, file, count) in [("--items", "items.jsonl", 2), ("--items", "items.csv", 2), ("--users", "users.csv", 1)] {
            let imported = try recsmith(["import", "--db", path("r.sqlite"), flag, path(file)])
            #expect(imported.status == 0, "\(imported.error)")
            #expect(imported.output.contains("stored \(count)"))
        }
        let items = try recsmith(["export", "--db", path("r.sqlite"), "--items"])
        let lines = items.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines.first == #"{"item": "a", "categories": ["shoes", "sale"], "labels": {"brand": "acme", "price": 49.5}, "text": "", "hidden": false, "published_at": null, "expires_at": null}"#)
        #expect(lines.contains { $0.contains(#""item": "c""#) && $0.contains(#""size": ["s", "m"]"#) && $0.contains("2026-01-01T00:00:00Z") })
        #expect(lines.contains { $0.contains(#""item": "d""#) && $0.contains(#""expires_at": "2026-12-31T00:00:00Z""#) })
        #expect(try recsmith(["export", "--db", path("r.sqlite"), "--users"]).output == #"{"user": "u1", "labels": {"tier": "gold"}}"# + "\n")

        // Exported records import again unchanged.
        try items.output.write(toFile: path("again.jsonl"), atomically: false, encoding: .utf8)
        #expect(try recsmith(["import", "--db", path("again.sqlite"), "--items", path("again.jsonl")]).status == 0)
        #expect(try recsmith(["export", "--db", path("again.sqlite"), "--items"]).output == items.output)

        try "{\"item\": \"ok\"}\n{\"item\": \"x\", \"hidden\": 3}\n".write(toFile: path("bad.jsonl"), atomically: false, encoding: .utf8)
        let bad = try recsmith(["import", "--db", path("bad.sqlite"), "--items", path("bad.jsonl")])
        #expect(bad.status != 0)
        #expect(bad.error.contains("line 2: hidden"))
        #expect(try recsmith(["export", "--db", path("bad.sqlite"), "--items"]).output.isEmpty, "nothing of the bad batch was stored")
        #expect(try recsmith(["import", "--db", path("bad.sqlite"), "--items", path("bad.jsonl"), path("items.csv")]).status != 0)
    }

    @Test func importExportBackupAndTrainRoundTrip() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try recsmith(["generate", "--users", "80", "--items", "120", "--events", "3000", "--output", path("events.csv")]).status == 0)

        let imported = try recsmith(["import", "--db", path("a.sqlite"), path("events.csv")])
        #expect(imported.status == 0)
        #expect(imported.output.contains("read 3000 events: 3000 stored, 0 duplicates"))

        #expect(try recsmith(["export", "--db", path("a.sqlite"), "--format", "jsonl", "--output", path("events.jsonl")]).status == 0)
        let fromJSONL = try recsmith(["import", "--db", path("b.sqlite"), path("events.jsonl")])
        #expect(fromJSONL.output.contains("read 3000 events: 3000 stored"))

        #expect(try recsmith(["export", "--db", path("b.sqlite"), "--output", path("again.csv")]).status == 0)
        let original = try String(contentsOfFile: path("events.csv"), encoding: .utf8).split(separator: "\n").count
        let exported = try String(contentsOfFile: path("again.csv"), encoding: .utf8).split(separator: "\n")
        #expect(exported.first == "user,item,timestamp,weight,type,id,recommendation_id")
        #expect(exported.count == original)

        let backup = try recsmith(["backup", "--db", path("b.sqlite"), path("copy.sqlite")])
        #expect(backup.status == 0)
        #expect(backup.output.contains("backed up 3000 events"))
        let refused = try recsmith(["backup", "--store", "postgresql://app:secret@db:5432/recsmith", path("pg.sqlite")])
        #expect(refused.status != 0 && refused.error.contains("pg_dump") && !refused.error.contains("secret"), "\(refused.error)")

        let trained = try recsmith(["train", "--db", path("copy.sqlite"), "--models", "itemknn,popular"])
        #expect(trained.status == 0)
        #expect(FileManager.default.fileExists(atPath: path("models/manifest.json")))
    }

    @Test func configPrintShowsTheEffectiveConfigurationAndRejectsBadFiles() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "models: itemknn,popular\nals:\n  factors: 16\n".write(toFile: path("recsmith.yaml"), atomically: false, encoding: .utf8)
        let printed = try recsmith(["config", "print", "--config", path("recsmith.yaml"), "--port", "9100", "--set", "bpr.epochs=3"])
        #expect(printed.status == 0)
        #expect(printed.output.contains("models: itemknn,popular  # \(path("recsmith.yaml"))"))
        #expect(printed.output.contains("  factors: 16  # \(path("recsmith.yaml"))"))
        #expect(printed.output.contains("port: 9100  # --port"))
        #expect(printed.output.contains("  epochs: 3  # --set"))

        try "als:\n  factors: many\n".write(toFile: path("bad.yaml"), atomically: false, encoding: .utf8)
        let refused = try recsmith(["serve", "--config", path("bad.yaml"), "--port", "0", "--db", path("x.sqlite")])
        #expect(refused.status != 0)
        #expect(refused.error.contains("\(path("bad.yaml")): als.factors must be a whole number from 1 to 1024, not 'many'"))
        #expect(!FileManager.default.fileExists(atPath: path("x.sqlite")), "a bad configuration stops before the store opens")

        let trained = try recsmith(["generate", "--users", "30", "--items", "40", "--events", "500", "--output", path("e.csv")])
        #expect(trained.status == 0)
        #expect(try recsmith(["import", "--db", path("t.sqlite"), path("e.csv")]).status == 0)
        let train = try recsmith(["train", "--db", path("t.sqlite"), "--config", path("recsmith.yaml")])
        #expect(train.status == 0)
        #expect(train.output.contains("itemknn"))
        #expect(!train.output.contains("als"))
    }

    @Test func readmeDocumentsEveryConfigurationKey() throws {
        let table = try recsmith(["config", "keys"])
        #expect(table.status == 0)
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(table.output), "README.md's key table is the output of `recsmith config keys`")
    }

    @Test func everyServeFlagIsARowOfTheSettingsTableWithItsHelp() throws {
        let help = try recsmith(["serve", "--help"])
        #expect(help.status == 0)
        let keys = try recsmith(["config", "keys"]).output.split(separator: "\n").dropFirst(2).compactMap { row -> (String, String)? in
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[0].hasPrefix("`") else { return nil }
            return (String(cells[0].dropFirst().dropLast()), String(cells[3]))
        }
        let summaries = Dictionary(keys.map { ("--" + $0.0.replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: ".", with: "-"), $0.1) },
                                   uniquingKeysWith: { first, _ in first })
        // The help wraps at 80 columns: compare with its words joined again.
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let flags = help.output.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("--"), line.hasPrefix("  --") else { return nil }
            return String(trimmed.prefix { $0 != " " && $0 != "," && $0 != "/" })
        }
        // Flags that set no key: the file, --set, help, and --playground (an action: fill a store and print a guide).
        let generic: Set = ["--config", "--set", "--help", "--version", "--no-access-log", "--playground"]
        #expect(flags.count > 10)
        for flag in flags where !generic.contains(flag) {
            let summary = try #require(summaries[flag], "\(flag) sets no key of the settings table")
            #expect(words.contains(summary.split(separator: " ").joined(separator: " ")), "\(flag)'s help is not the table's: \(summary)")
        }
    }

    @Test(arguments: ["deploy/kubernetes/configmap.yaml", "deploy/kubernetes/scale-out/configmap.yaml"])
    func kubernetesConfigMapHoldsAValidConfigurationFile(_ file: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
        let lines = manifest.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "recsmith.yaml: |" })
        let body = lines[(start + 1)...].prefix { $0.hasPrefix("    ") || $0.isEmpty }.map { $0.dropFirst(4) }.joined(separator: "\n")
        #expect(body.contains("retrain_interval"))
        try body.write(toFile: path("k8s.yaml"), atomically: false, encoding: .utf8)
        let printed = try recsmith(["config", "print", "--config", path("k8s.yaml")])
        #expect(printed.status == 0, "\(printed.error)")
        #expect(printed.output.contains("log_format: json  # \(path("k8s.yaml"))"))
    }

    /// Every `RECSMITH_*` variable the deploy files set (Kubernetes, docker-compose) is one the server reads: a
    /// key's variable in `recsmith config keys`, or one of the variables outside the table.
    @Test func theDeployFilesSetOnlyVariablesTheServerReads() throws {
        let keys = try recsmith(["config", "keys"])
        #expect(keys.status == 0)
        let known = Set(Self.variables(in: keys.output)).union(["RECSMITH_ADMIN_TOKEN", "RECSMITH_API_KEY", "RECSMITH_CONFIG"])
        #expect(known.contains("RECSMITH_STORE") && known.contains("RECSMITH_ROLE"))
        let deploy = repositoryRoot.appendingPathComponent("deploy")
        let files = try FileManager.default.subpathsOfDirectory(atPath: deploy.path).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        #expect(files.contains("docker-compose.postgres.yml") && files.contains("kubernetes/scale-out/api-deployment.yaml"))
        var used = Set<String>()
        for file in files {
            let text = try String(contentsOf: deploy.appendingPathComponent(file), encoding: .utf8)
            for variable in Self.variables(in: text) {
                used.insert(variable)
                #expect(known.contains(variable), "\(file) sets \(variable), which the server does not read")
            }
        }
        #expect(used.isSuperset(of: ["RECSMITH_STORE", "RECSMITH_CONFIG", "RECSMITH_ADMIN_TOKEN"]))
    }

    /// The `RECSMITH_[A-Z0-9_]+` words of `text`.
    private static func variables(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "RECSMITH_") {
            let name = rest[range.lowerBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            found.append(String(name))
            rest = rest[range.upperBound...]
        }
        return found
    }

    @Test func importRejectsInvalidRowsWithTheirLines() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "user,item,timestamp,weight\nu1,i1,100,1\nu2,i2,100,-3\n".write(toFile: path("bad.csv"), atomically: false, encoding: .utf8)
        let result = try recsmith(["import", "--db", path("c.sqlite"), path("bad.csv")])
        #expect(result.status != 0)
        #expect(result.error.contains("line 3"))
    }

    @Test func importAndExportRoundTripTimestampsBefore1970() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = "user,item,timestamp\nu1,i1,0141-12-15T22:51:50-13:10\nu1,i2,-1.5\nu2,i1,0000-01-01T00:00:00+23:59\nu2,i3,1700000000\n"
        try csv.write(toFile: path("old.csv"), atomically: false, encoding: .utf8)
        #expect(try recsmith(["import", "--db", path("old.sqlite"), path("old.csv")]).output.contains("read 4 events: 4 stored"))
        let expected = ["-57687422290", "-1.5", "-62167305540", "1700000000"]
        for format in ["csv", "jsonl"] {
            #expect(try recsmith(["export", "--db", path("old.sqlite"), "--format", format, "--output", path("out.\(format)")]).status == 0)
            let again = try recsmith(["import", "--db", path("again-\(format).sqlite"), path("out.\(format)")])
            #expect(again.output.contains("read 4 events: 4 stored"), "\(again.error)")
            #expect(try recsmith(["export", "--db", path("again-\(format).sqlite"), "--output", path("again-\(format).csv")]).status == 0)
            let times = try String(contentsOfFile: path("again-\(format).csv"), encoding: .utf8).split(separator: "\n").dropFirst()
                .map { String($0.split(separator: ",")[2]) }
            #expect(times == expected, "through \(format)")
        }
        try "user,item,timestamp\nu1,i1,-62167305541\n".write(toFile: path("older.csv"), atomically: false, encoding: .utf8)
        let refused = try recsmith(["import", "--db", path("older.sqlite"), path("older.csv")])
        #expect(refused.status != 0)
        #expect(refused.error.contains("before 0000-01-01T00:00:00+23:59"))
    }

    @Test func importRefusesInvisibleAndControlCharacterIDs() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, row) in [("zwsp", "u1,\u{200B},1"), ("bom", "\u{FEFF},i1,1"), ("bell", "u\u{7},i1,1"), ("c1", "u1,i\u{85},1")] {
            try "user,item,timestamp\nok,fine,1\n\(row)\n".write(toFile: path("\(name).csv"), atomically: false, encoding: .utf8)
            let result = try recsmith(["import", "--db", path("\(name).sqlite"), path("\(name).csv")])
            #expect(result.status != 0, "\(name)")
            #expect(result.error.contains("line 3"), "\(name): \(result.error)")
        }
        try "{\"user\":\"\\u00ad\",\"item\":\"i\"}\n".write(toFile: path("shy.jsonl"), atomically: false, encoding: .utf8)
        let shy = try recsmith(["import", "--db", path("shy.sqlite"), path("shy.jsonl")])
        #expect(shy.status != 0)
        #expect(shy.error.contains("visible"), "\(shy.error)")
    }

    @Test func evaluatePrintsLeaderboardAndWritesJSON() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try recsmith(["generate", "--users", "100", "--items", "150", "--events", "4000", "--output", path("events.csv")]).status == 0)
        let result = try recsmith(["evaluate", "--data", path("events.csv"), "--split", "leave-last-out",
                                   "--models", "pop,itemknn,als", "--json", path("result.json")])
        #expect(result.status == 0)
        #expect(result.output.contains("itemknn"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("result.json")))) as? [String: Any]
        #expect(object?["protocol"] as? String == "recsmith-eval-v1")
        #expect((object?["models"] as? [Any])?.count == 3)
    }

    @Test func evaluateRunsStrongGeneralizationWithCurvesAndSeeds() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try recsmith(["generate", "--users", "150", "--items", "100", "--events", "4000", "--output", path("events.csv")]).status == 0)
        let result = try recsmith([
            "evaluate", "--data", path("events.csv"), "--split", "strong-generalization", "--frac-users-train", "0.6",
            "--frac-interactions-in", "0.5", "--models", "pop,als,random", "--factors", "8", "--curve", "--seeds", "1-2,5",
            "--json", path("result.json"),
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("fold-in of test users: pop not-personalised, als least-squares, random not-personalised"))
        #expect(result.output.contains("curve als: ndcg@10"))
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("result.json")))) as? [String: Any])
        #expect(object["protocol"] as? String == "recsmith-eval-v2")
        #expect(object["seeds"] as? [Int] == [1, 2, 5])
        let split = try #require(object["split"] as? [String: Any])
        #expect(split["frac_users_train"] as? Double == 0.6 && split["frac_interactions_in"] as? Double == 0.5)
        let models = try #require(object["models"] as? [[String: Any]])
        #expect((models[1]["runs"] as? [Any])?.count == 3)
        #expect((models[1]["curve"] as? [Any])?.count == 15)

        for (flags, message) in [
            (["--seeds", "5-1"], "--seeds takes seeds and ranges"),
            (["--seeds", "1-2", "--seed", "3"], "--seed and --seeds exclude each other"),
            (["--frac-users-train", "1.5"], "--frac-users-train must be between 0 and 1"),
            (["--frac-interactions-in", "0"], "--frac-interactions-in must be above 0"),
        ] {
            let refused = try recsmith(["evaluate", "--data", path("events.csv"), "--split", "strong-generalization"] + flags)
            #expect(refused.status != 0)
            #expect(refused.error.contains(message), "\(refused.error)")
        }
    }

    @Test func generateWritesACatalogueThatEvaluateScoresWithContent() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let generated = try recsmith(["generate", "--users", "200", "--items", "300", "--events", "6000",
                                      "--output", path("events.csv"), "--items-output", path("items.jsonl")])
        #expect(generated.status == 0, "\(generated.error)")
        let records = try String(contentsOfFile: path("items.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(records.count == 300 && records[0].hasPrefix(#"{"item":"i0","categories":["#))

        let result = try recsmith(["evaluate", "--data", path("events.csv"), "--items", path("items.jsonl"),
                                   "--split", "leave-last-out", "--models", "pop,content", "--json", path("result.json")])
        #expect(result.status == 0, "\(result.error)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("result.json")))) as? [String: Any]
        let models = try #require(object?["models"] as? [[String: Any]])
        #expect(models.map { $0["model"] as? String } == ["pop", "content"])
        #expect((models[1]["params"] as? [String: Any])?["weighting"] as? String == "tfidf")

        let withoutItems = try recsmith(["evaluate", "--data", path("events.csv"), "--split", "leave-last-out", "--models", "content"])
        #expect(withoutItems.status != 0)
        #expect(withoutItems.error.contains("--models content needs --items"), "\(withoutItems.error)")

        try "{\"item\": \"i1\"}\n{\"item\": 7}\n".write(toFile: path("bad.jsonl"), atomically: false, encoding: .utf8)
        let badItems = try recsmith(["evaluate", "--data", path("events.csv"), "--items", path("bad.jsonl"),
                                     "--split", "leave-last-out", "--models", "content"])
        #expect(badItems.status != 0)
        #expect(badItems.error.contains("\(path("bad.jsonl")):2: invalid item record"), "\(badItems.error)")
    }
}
