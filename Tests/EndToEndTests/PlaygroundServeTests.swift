import Foundation
import TestSupport
import Testing

/// `recsmith serve --playground`: a generated shop, trained at once, and commands that work as printed — on the
/// SQLite file and, in the PostgreSQL pass, on the server's database.
@Suite(.serialized) struct PlaygroundServeTests {
    /// Models kept small so a debug build trains the shop in seconds; the playground itself does not depend on them.
    static let models = ["--models", "als,itemknn,content,popular"]

    @Test func printedCommandsWorkAndTheExampleUsersListLeansToTheirCategory() throws {
        let server = try ServerProcess(arguments: ["--playground"] + Self.models)
        let guide = try #require(server.output(through: "/models'", timeoutSeconds: 180), "no guide; log:\n\(server.log)")
        #expect(guide.contains("playground: 1000 users, 400 items in 20 categories, 40000 events"))

        // "# 87% of u12's events are in "garden": the list leans there"
        let example = try #require(guide.firstMatch(of: /of (u\d+)'s events are in "([a-z]+)"/), "guide:\n\(guide)")
        let (user, category) = (String(example.1), String(example.2))
        let client = try server.client()
        let list = json(client.request("GET", "/users/\(user)/recommendations?k=5"))
        #expect(list["model"] as? String == "als")
        let items = (list["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(items.count == 5)
        let inCategory = items.filter { item in
            let record = json(client.request("GET", "/items/\(item)"))
            return (record["categories"] as? [String])?.first == category
        }
        // The category holds about 1/20 of the catalogue; a list that leans there has several of its items.
        #expect(inCategory.count >= 2, "\(user)'s list \(items) has \(inCategory.count) items of \(category)")

        for command in Self.commands(in: guide) {
            let result = try runCommand(URL(fileURLWithPath: "/bin/sh"), ["-c", command], timeoutSeconds: 30)
            #expect(result.status == 0, "\(command)\n\(result.error)")
            let answer = try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
            #expect(answer != nil && answer?["error"] == nil, "\(command)\n→ \(result.output)")
        }
        #expect(server.terminate() == 0)
    }

    @Test(EndToEndStore.sqliteOnly("the same shop as the test above; one playground test less in the second pass"))
    func filterCommandKeepsOnlyTheBrandUnderFifty() throws {
        let server = try ServerProcess(arguments: ["--playground"] + Self.models)
        let guide = try #require(server.output(through: "/models'", timeoutSeconds: 180), "no guide; log:\n\(server.log)")
        let command = try #require(Self.commands(in: guide).first { $0.contains("filter=") })
        let brand = try #require(command.firstMatch(of: /labels\.brand = "([a-z]+)"/)).1
        let result = try runCommand(URL(fileURLWithPath: "/bin/sh"), ["-c", command], timeoutSeconds: 30)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let items = (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(!items.isEmpty)
        let client = try server.client()
        for item in items {
            let labels = json(client.request("GET", "/items/\(item)"))["labels"] as? [String: Any] ?? [:]
            #expect(labels["brand"] as? String == String(brand))
            #expect((labels["price"] as? Double ?? 50) < 50)
        }
        #expect(server.terminate() == 0)
    }

    @Test func aStoreWithEventsIsNotFilledAgain() throws {
        let first = try ServerProcess(arguments: ["--playground"] + Self.models)
        _ = try #require(first.output(through: "/models'", timeoutSeconds: 180), "no guide; log:\n\(first.log)")
        #expect(first.terminate() == 0)
        let second = try ServerProcess(arguments: ["--playground"] + Self.models, directory: first.directory)
        let guide = try #require(second.output(through: "/models'", timeoutSeconds: 180), "no guide; log:\n\(second.log)")
        #expect(guide.contains("the store already had events, so none were generated"))
        let metrics = String(decoding: try #require(second.client().request("GET", "/metrics")).body, as: UTF8.self)
        #expect(metrics.contains("recsmith_store_events_count 40000"), "\(metrics.prefix(2000))")
        #expect(second.terminate() == 0)
    }

    @Test(EndToEndStore.sqliteOnly("a server that names no store gets a throwaway SQLite file"))
    func withoutDbTheStoreIsAThrowawayDirectoryNotVar() throws {
        let server = try ServerProcess(arguments: ["--playground", "--models", "popular"], namesStore: false)
        let guide = try #require(server.output(through: "/models'", timeoutSeconds: 180), "no guide; log:\n\(server.log)")
        let store = String(try #require(guide.firstMatch(of: /store: (\S+)/), "guide:\n\(guide)").1)
        #expect(store.hasPrefix(NSTemporaryDirectory()) || store.hasPrefix("/tmp/"), "\(store)")
        #expect(store.contains("recsmith-playground-"))
        #expect(FileManager.default.fileExists(atPath: store))
        #expect(!FileManager.default.fileExists(atPath: server.directory.appendingPathComponent("var").path))
        #expect(server.terminate() == 0)
        try? FileManager.default.removeItem(atPath: (store as NSString).deletingLastPathComponent)
    }

    /// The printed commands: lines starting with `curl`, joined with their `\` continuation lines.
    static func commands(in guide: String) -> [String] {
        var commands: [String] = []
        var current: String?
        for line in guide.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let text = current {
                current = text + " " + line
            } else if line.hasPrefix("curl ") {
                current = line
            }
            if let text = current, !text.hasSuffix("\\") {
                commands.append(text)
                current = nil
            } else if let text = current {
                current = String(text.dropLast())
            }
        }
        return commands
    }
}
