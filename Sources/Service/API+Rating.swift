import Dispatch
import HTTPServer
import JSON
import Models
import Serving

extension API {
    /// `GET /users/{user}/items/{item}/rating[?model=mf]`: the rating `mf` predicts, answered on the scoring queue
    /// (a fold-in reads the store). Never cached: it is one dot product once the user's vector is known.
    func addRatingRoute(to router: inout Router) {
        router.addDeferred("GET", "/users/{user}/items/{item}/rating", gated { request, responder in
            let user = request.pathParameters["user", default: ""], item = request.pathParameters["item", default: ""]
            let model: ModelKind?
            do {
                try Self.checkIdentifier(user, name: "user")
                try Self.checkIdentifier(item, name: "item")
                model = try Self.modelKind(from: Self.parameters(of: request, allowed: ["model"]))
            } catch {
                responder.send((error as? any HTTPResponseConvertible)?.response
                    ?? .error(.internalServerError, code: "internal_error", message: "the server failed to handle this request"))
                return
            }
            scoringQueue.async(group: scoring) {
                do throws(Serving.Failure) {
                    let answer = try serving.predictRating(user: user, item: item, model: model)
                    responder.send(.json(.ok, Self.encodeRating(answer, user: user, item: item)))
                } catch {
                    responder.send(Self.apiError(error).response)
                }
            }
        })
        router.checkOptions("/users/{user}/items/{item}/rating") { request in
            try Self.checkIdentifier(request.pathParameters["user", default: ""], name: "user")
            try Self.checkIdentifier(request.pathParameters["item", default: ""], name: "item")
        }
    }

    /// `{"user", "item", "model", "version", "rating", "parts": [...], "user_basis"}`.
    static func encodeRating(_ answer: Serving.RatingAnswer, user: String, item: String) -> [UInt8] {
        var json = JSONWriter(capacity: 192)
        json.beginObject()
        json.key("user"); json.string(user)
        json.key("item"); json.string(item)
        json.key("model"); json.string(answer.model.rawValue)
        json.key("version"); json.string(answer.version)
        json.key("rating"); json.number(answer.prediction.rating)
        json.key("parts")
        json.beginArray()
        for part in answer.prediction.parts { json.string(part.rawValue) }
        json.endArray()
        json.key("user_basis"); json.string(answer.user.rawValue)
        json.endObject()
        return json.bytes
    }
}
