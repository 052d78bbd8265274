import JSON

extension HeldOutMetrics {
    /// `{"k", "ndcg", "recall", "coverage", "users"}`: how `/models` and the dashboard show held-out figures.
    package func write(into json: inout JSONWriter) {
        json.beginObject()
        json.key("k"); json.int(k)
        json.key("ndcg"); json.number(ndcg)
        json.key("recall"); json.number(recall)
        json.key("coverage"); json.number(coverage)
        json.key("users"); json.int(users)
        json.endObject()
    }
}

extension Serving.Answer {
    /// The ranked items as `[{"item", "score"}, …]`, best first: the `items` of every ranking answer.
    package func writeItems(into json: inout JSONWriter) {
        json.beginArray()
        for entry in items {
            json.beginObject()
            json.key("item"); json.string(entry.id)
            json.key("score"); json.number(entry.score)
            json.endObject()
        }
        json.endArray()
    }
}
