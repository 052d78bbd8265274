import EventFormats
import HTTPServer
import JSON
import Models
import Serving
import Training

extension DashboardAPI {
    /// `GET /admin/models`: the serving model set (each model's size, fit time and held-out metrics), the passes
    /// running or queued, and the last finished passes, newest first, with their phases and held-out metrics.
    func models(_ request: HTTPRequest) throws -> HTTPResponse {
        _ = try AdminQuery(request, allowed: [])
        let set = registry.snapshot
        let (finished, pending) = trainer.recentJobs
        var json = JSONWriter(capacity: 8192)
        json.beginObject()
        json.key("version")
        if let set { json.string(set.version) } else { json.null() }
        json.key("trained_at")
        if let set { json.string(RFC3339.format(set.trainedAt)) } else { json.null() }
        json.key("default")
        if let kind = set?.defaultModel { json.string(kind.rawValue) } else { json.null() }
        json.key("models")
        json.beginArray()
        for trained in set?.models ?? [] {
            json.beginObject()
            json.key("name"); json.string(trained.kind.rawValue)
            json.key("training_seconds"); json.number(trained.trainingSeconds)
            json.key("users"); json.int(trained.users)
            json.key("items"); json.int(trained.items)
            json.key("events"); json.int(trained.events)
            json.key("evaluation")
            if let evaluation = trained.evaluation { evaluation.write(into: &json) } else { json.null() }
            json.endObject()
        }
        if let content = serving.content?.summary {
            json.beginObject()
            json.key("name"); json.string("content")
            json.key("training_seconds"); json.number(content.fitSeconds)
            json.key("users"); json.int(0)
            json.key("items"); json.int(content.items)
            json.key("events"); json.int(0)
            json.key("evaluation"); json.null()
            json.endObject()
        }
        json.endArray()
        json.key("pending")
        json.beginArray()
        for job in pending { Self.write(job, into: &json) }
        json.endArray()
        json.key("passes")
        json.beginArray()
        for job in finished.reversed() { Self.write(job, into: &json) }
        json.endArray()
        json.key("last_error")
        if let error = trainer.lastError { json.string(error) } else { json.null() }
        json.endObject()
        return Self.respond(json)
    }

    private static func write(_ job: Trainer.Job, into json: inout JSONWriter) {
        json.beginObject()
        json.key("job"); json.string(job.id)
        json.key("status"); json.string(job.status.rawValue)
        json.key("started_at")
        if let started = job.startedAt { json.string(RFC3339.format(started)) } else { json.null() }
        json.key("finished_at")
        if let finished = job.finishedAt { json.string(RFC3339.format(finished)) } else { json.null() }
        json.key("version")
        if let version = job.version { json.string(version) } else { json.null() }
        json.key("phases")
        json.beginArray()
        for entry in job.durations {
            json.beginObject()
            json.key("phase"); json.string(entry.phase)
            json.key("seconds"); json.number(entry.seconds)
            json.endObject()
        }
        json.endArray()
        json.key("evaluations")
        json.beginArray()
        for entry in job.evaluations {
            json.beginObject()
            json.key("model"); json.string(entry.model.rawValue)
            json.key("metrics"); entry.metrics.write(into: &json)
            json.endObject()
        }
        json.endArray()
        json.key("skipped")
        json.beginArray()
        for entry in job.skippedModels {
            json.beginObject()
            json.key("model"); json.string(entry.model.rawValue)
            json.key("reason"); json.string(entry.reason)
            json.endObject()
        }
        json.endArray()
        json.key("error")
        if let error = job.error { json.string(error) } else { json.null() }
        json.endObject()
    }
}
