import Foundation
import Glibc
import Testing
import TestSupport

/// Explicit ratings over HTTP: `rating` events train `mf` (and a rating-objective `mlp`),
/// `GET /users/{u}/items/{i}/rating` predicts from the parts it knows, and `?model=mf` ranks by predicted rating.
@Suite(.serialized)
struct RatingServeTests {
    /// 40 users rating 30 items 1–5 (users of the same parity agree), plus a view that `mf` must not read.
    private func trainedServer(
        _ arguments: [String] = ["--models", "mf,popular", "--set", "mf.factors=4", "--set", "mf.epochs=40"]
    ) throws -> (ServerProcess, TestClient) {
        let server = try ServerProcess(arguments: arguments)
        let client = try server.client()
        var text = ""
        for user in 0..<40 {
            for item in 0..<30 where (user + item) % 4 != 0 {
                let value = (user % 2 == item % 2) ? 5 : 1
                text += #"{"user":"u\#(user)","item":"i\#(item)","type":"rating","value":\#(value),"timestamp":1000}"# + "\n"
            }
        }
        // A view is not a rating: mf does not read it, but i0 becomes seen for u0.
        text += #"{"user":"u0","item":"i0","type":"view","timestamp":2000}"# + "\n"
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(text.utf8))?.status == 200)
        #expect(server.retrainAndWait(client) == "succeeded")
        return (server, client)
    }

    @Test func predictsRatingsOfKnownAndUnknownUsersAndItems() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        // u0 likes even items: i4 (held out, even) above i5 (held out, odd).
        let liked = json(client.request("GET", "/users/u0/items/i4/rating"))
        let disliked = json(client.request("GET", "/users/u0/items/i5/rating?model=mf"))
        #expect(liked["model"] as? String == "mf" && liked["user"] as? String == "u0" && liked["item"] as? String == "i4")
        #expect(liked["parts"] as? [String] == ["global_mean", "user_bias", "item_bias", "factors"])
        #expect(liked["user_basis"] as? String == "trained")
        let high = try #require(liked["rating"] as? Double), low = try #require(disliked["rating"] as? Double)
        #expect(high > 3.5 && low < 2.5 && high <= 5 && low >= 1)

        let unknownUser = json(client.request("GET", "/users/stranger/items/i4/rating"))
        #expect(unknownUser["parts"] as? [String] == ["global_mean", "item_bias"])
        #expect(unknownUser["user_basis"] as? String == "unknown")
        let unknownItem = json(client.request("GET", "/users/u0/items/nothing/rating"))
        #expect(unknownItem["parts"] as? [String] == ["global_mean", "user_bias"])
        let neither = json(client.request("GET", "/users/stranger/items/nothing/rating"))
        #expect(neither["parts"] as? [String] == ["global_mean"])

        // A new user's ratings fold them in at once: they like odd items.
        var body = ""
        for item in [1, 3, 7] { body += #"{"user":"newcomer","item":"i\#(item)","type":"rating","value":5}"# + "\n" }
        for item in [2, 6] { body += #"{"user":"newcomer","item":"i\#(item)","type":"rating","value":1}"# + "\n" }
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))?.status == 200)
        let folded = json(client.request("GET", "/users/newcomer/items/i9/rating"))
        #expect(folded["user_basis"] as? String == "folded_in")
        #expect(folded["parts"] as? [String] == ["global_mean", "user_bias", "item_bias", "factors"])
        let odd = try #require(folded["rating"] as? Double)
        let even = try #require(json(client.request("GET", "/users/newcomer/items/i8/rating"))["rating"] as? Double)
        #expect(odd > even)
    }

    @Test func ranksUnseenItemsByPredictedRatingAndRefusesBadRequests() throws {
        let (server, client) = try trainedServer()
        defer { server.removeData() }
        let answer = json(client.request("GET", "/users/u0/recommendations?model=mf&k=5"))
        #expect(answer["model"] as? String == "mf")
        let items = (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        #expect(items.count == 5)
        // u0 rated neither i0 (viewed, so seen) nor i4, i8, …, i28 (unseen, even: liked); odd ones they rated.
        for item in items { #expect(["i4", "i8", "i12", "i16", "i20", "i24", "i28"].contains(item), "\(item)") }
        let scores = (answer["items"] as? [[String: Any]] ?? []).compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))

        #expect(client.request("GET", "/users/u0/items/i4/rating?model=als")?.status == 400)
        #expect(client.request("GET", "/users/u0/items/i4/rating?k=3")?.status == 400)
        let bad = client.request("GET", "/users/\(String(repeating: "x", count: 300))/items/i4/rating")
        #expect(bad?.status == 400)
        #expect(client.request("POST", "/users/u0/items/i4/rating")?.status == 405)
    }

    @Test func mlpWithTheRatingObjectivePredictsRatingsAndFoldsInNewRaters() throws {
        let (server, client) = try trainedServer(
            ["--models", "mf,mlp,popular", "--set", "mf.factors=4", "--set", "mlp.objective=rating"])
        defer { server.removeData() }
        let trained = json(client.request("GET", "/users/u0/items/i4/rating?model=mlp"))
        #expect(trained["model"] as? String == "mlp" && trained["user_basis"] as? String == "trained")
        #expect(trained["parts"] as? [String] == ["global_mean", "user_bias", "item_bias", "factors"])
        let rating = try #require(trained["rating"] as? Double)
        #expect((1...5).contains(rating))

        var body = ""
        for (item, value) in [(1, 5), (3, 5), (2, 1)] {
            body += #"{"user":"newcomer","item":"i\#(item)","type":"rating","value":\#(value)}"# + "\n"
        }
        #expect(client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))?.status == 200)
        let folded = json(client.request("GET", "/users/newcomer/items/i9/rating?model=mlp"))
        #expect(folded["model"] as? String == "mlp" && folded["user_basis"] as? String == "folded_in")
        #expect(folded["parts"] as? [String] == ["global_mean", "user_bias", "item_bias", "factors"])
        #expect((1...5).contains(try #require(folded["rating"] as? Double)))
        // mf folds the same user in apart from mlp: each model's vector has its own width.
        let byMF = json(client.request("GET", "/users/newcomer/items/i9/rating"))
        #expect(byMF["model"] as? String == "mf" && byMF["user_basis"] as? String == "folded_in")
        #expect(json(client.request("GET", "/users/newcomer/items/i9/rating?model=mlp"))["rating"] as? Double == folded["rating"] as? Double)
        // Their recommendations by mlp rank by the same folded-in prediction: the top item's score is its rating.
        let listed = json(client.request("GET", "/users/newcomer/recommendations?model=mlp&k=5"))
        #expect(listed["model"] as? String == "mlp")
        let entries = listed["items"] as? [[String: Any]] ?? []
        #expect(entries.count == 5 && !entries.contains { ["i1", "i2", "i3"].contains($0["item"] as? String ?? "") })
        let top = try #require(entries.first), topItem = try #require(top["item"] as? String)
        let topRating = try #require(json(client.request("GET", "/users/newcomer/items/\(topItem)/rating?model=mlp"))["rating"] as? Double)
        #expect(abs(min(max(try #require(top["score"] as? Double), 1), 5) - topRating) < 1e-3)
    }

    @Test func mlpTrainedForRankingHasNoRatings() throws {
        let (server, client) = try trainedServer(["--models", "mlp,popular", "--set", "mlp.epochs=2"])
        defer { server.removeData() }
        let response = client.request("GET", "/users/u0/items/i4/rating?model=mlp")
        #expect(response?.status == 400)
        let error = json(response)["error"] as? [String: Any]
        #expect(error?["code"] as? String == "unknown_model")
        #expect((error?["message"] as? String)?.contains("mlp.objective=rating") == true)
        #expect(client.request("GET", "/users/u0/items/i4/rating")?.status == 400, "mf is not trained here")
    }
}
