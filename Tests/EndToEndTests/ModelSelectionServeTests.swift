import Foundation
import Glibc
import SyntheticData
import Testing
import TestSupport

/// `serving.model = auto` on a real server: each pass ranks the models on held-out events, `/models` and
/// `/metrics` report the figures, and requests naming no model get the winner.
@Suite(.serialized)
struct ModelSelectionServeTests {
    @Test func aPassChoosesTheDefaultModelOnHeldOutEventsAndReportsIt() throws {
        let server = try ServerProcess(arguments: ["--models", "popular,itemknn", "--set", "serving.model=auto",
                                                   "--set", "auto.sample_users=200"])
        defer { server.removeData() }
        let client = try server.client()
        var text = ""
        for event in SyntheticEvents(userCount: 300, itemCount: 200, eventCount: 9_000, seed: 7).events() {
            text += #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp))}"# + "\n"
        }
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(text.utf8))?.status == 200)
        let durations = finishedRetrain(client)["durations"] as? [String: Any] ?? [:]
        #expect(durations["holdout itemknn"] != nil && durations["evaluate"] != nil)

        let models = json(client.request("GET", "/models"))["models"] as? [[String: Any]] ?? []
        let byName = Dictionary(uniqueKeysWithValues: models.compactMap { model in (model["name"] as? String).map { ($0, model) } })
        let itemKNN = try #require(byName["itemknn"]?["evaluation"] as? [String: Any])
        let popular = try #require(byName["popular"]?["evaluation"] as? [String: Any])
        #expect((itemKNN["ndcg"] as? Double ?? 0) > (popular["ndcg"] as? Double ?? 1))
        #expect(itemKNN["users"] as? Int == 200 && itemKNN["k"] as? Int == 10)
        #expect(byName["itemknn"]?["default"] as? Bool == true && byName["popular"]?["default"] as? Bool == false)
        #expect(json(client.request("GET", "/users/u3/recommendations"))["model"] as? String == "itemknn")
        #expect(json(client.request("GET", "/users/u3/recommendations?model=popular"))["model"] as? String == "popular")

        let metrics = String(decoding: client.request("GET", "/metrics")?.body ?? [], as: UTF8.self)
        #expect(metrics.contains(#"recsmith_model_heldout_ndcg_ratio{model="itemknn"}"#))
        #expect(metrics.contains(#"recsmith_model_default{model="itemknn"} 1"#))
    }
}
