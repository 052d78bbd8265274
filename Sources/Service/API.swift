import APIReference
import Catalogue
import Configuration
import Dashboard
import Dispatch
import EventFormats
import EventStore
import Filtering
import Foundation
import HTTPServer
import JSON
import Logging
import Models
import Observability
import OnlineLoop
import Serving
import Training

/// The HTTP API (openapi.yaml): routes, request parsing and validation, and JSON responses.
struct API: Sendable {
    let store: any EventStore
    let catalogue: Catalogue
    let serving: Serving
    let trainer: Trainer
    let registry: ModelRegistry
    let metrics: ServiceMetrics
    let adminToken: AdminToken
    let configuration: ServiceConfiguration
    let logger: Logger
    /// Recommendation ids, the served lists remembered for attribution, and the experiments.
    let online: OnlineTracker
    /// Whether this process is the active trainer (always for an SQLite store, never for role `api`).
    let isLeader: @Sendable () -> Bool
    /// Encoded answers of recent ranking requests (see `ResponseCache` for why they are never stale).
    private let answers: ResponseCache
    /// Credential and rate limit checks for every route but the probes.
    private let gate: RequestGate
    /// Scoring a cache miss can take milliseconds on a large catalogue; it runs here, not on the I/O threads.
    let scoringQueue = DispatchQueue(label: "recsmith.scoring", qos: .userInitiated, attributes: .concurrent)
    /// Scoring blocks in flight, so shutdown can wait for them before the models' BLAS goes away with the process.
    let scoring = DispatchGroup()
    /// Decoding and validating large bodies takes milliseconds; it runs here, not on the I/O threads.
    private let ingestQueue = DispatchQueue(label: "recsmith.ingest", qos: .userInitiated, attributes: .concurrent)

    init(store: any EventStore, catalogue: Catalogue, serving: Serving, trainer: Trainer, registry: ModelRegistry, metrics: ServiceMetrics,
         adminToken: AdminToken, configuration: ServiceConfiguration, online: OnlineTracker,
         isLeader: @escaping @Sendable () -> Bool = { true }, logger: Logger) {
        self.store = store
        self.isLeader = isLeader
        self.online = online
        self.catalogue = catalogue
        self.serving = serving
        self.trainer = trainer
        self.registry = registry
        self.metrics = metrics
        self.adminToken = adminToken
        self.configuration = configuration
        self.logger = logger
        answers = ResponseCache(capacity: configuration.answerCacheEntries)
        gate = RequestGate(configuration: configuration, adminToken: adminToken)
    }

    /// Every route of the contract.
    func router() -> Router {
        let logger = logger
        let metrics = metrics
        var router = Router(
            onUnexpectedError: { request, error in
                logger.error("request failed", metadata: ["method": "\(request.method)", "path": "\(request.rawPath)", "error": "\(error)"])
            },
            observer: { [accessLog = configuration.accessLog] record in
                metrics.recordRequest(record)
                if accessLog { logger.info("request", metadata: Self.accessLogFields(record)) }
            })
        router.add("GET", "/healthz") { _ in .json(.ok, Array(#"{"status":"ok"}"#.utf8)) }
        router.add("GET", "/readyz") { _ in try readiness() }
        router.add("GET", "/metrics") { _ in
            return HTTPResponse(status: .ok, headers: HTTPHeaders([("content-type", "text/plain; version=0.0.4")]),
                                body: metrics.exposition())
        }
        router.add("POST", "/retrain", gated(.admin) { _ in try retrain() })
        router.add("GET", "/retrain/{job}", gated(.admin) { request in try retrainJob(request) })
        // A trainer serves the probes, the metrics and its passes; the API is the replicas' (role api or all).
        guard configuration.role != .trainer else { return router }
        router.add("GET", "/docs") { _ in try Self.documentation(\.html, type: "text/html; charset=utf-8") }
        router.add("GET", "/docs/docs.css") { _ in try Self.documentation(\.css, type: "text/css; charset=utf-8") }
        router.add("GET", "/models", gated { _ in models() })
        router.addDeferred("POST", "/events", execution: .queue(ingestQueue), gated { request, responder in
            ingest(request, responder)
        })
        // Ranking routes answer cache hits on the I/O thread and score misses on the scoring queue.
        router.addDeferred("GET", "/users/{user}/recommendations", gated { request, responder in
            answerRanking(request, responder, parse: recommendations)
        })
        router.addDeferred("GET", "/items/{item}/similar", gated { request, responder in
            answerRanking(request, responder, parse: similar)
        })
        // OPTIONS refuses the ids GET would refuse (it is not gated: preflights carry no credentials).
        addRatingRoute(to: &router)
        router.checkOptions("/users/{user}/recommendations") { request in
            try Self.checkIdentifier(request.pathParameters["user", default: ""], name: "user")
        }
        router.checkOptions("/items/{item}/similar") { request in
            try Self.checkIdentifier(request.pathParameters["item", default: ""], name: "item")
        }
        CatalogueAPI(store: store, catalogue: catalogue, content: serving.content, decoder: RecordDecoder(limits: configuration.recordLimits),
                     maxJSONDepth: configuration.maxJSONDepth, logger: logger, flushServedLists: { [online] in online.log?.flush() },
                     queue: ingestQueue)
            .register(in: &router) { access, handler in gated(access, handler) }
        RelationsAPI(store: store, catalogue: catalogue,
                     decoder: RelationDecoder(types: configuration.relationTypes, maxBatchSize: configuration.validation.maxBatchSize),
                     maxJSONDepth: configuration.maxJSONDepth, logger: logger, queue: ingestQueue)
            .register(in: &router) { access, handler in gated(access, handler) }
        DashboardAPI(store: store, catalogue: catalogue, serving: serving, trainer: trainer, registry: registry, metrics: metrics,
                     online: online, reportDirectory: configuration.dataDirectory, logger: logger)
            .register(in: &router) { handler in gated(.admin, handler) }
        return router
    }

    /// The API reference, rendered from the embedded spec on first use.
    private static let reference = Result { () throws(APIReferenceError) in try APIReference() }

    /// A part of the API reference, under the page's security headers.
    private static func documentation(_ part: KeyPath<APIReference, [UInt8]>, type: String) throws(APIError) -> HTTPResponse {
        guard case .success(let reference) = reference else {
            throw APIError(status: .internalServerError, code: "internal_error", message: "the API reference is not available")
        }
        return HTTPResponse(status: .ok, headers: HTTPHeaders([
            ("content-type", type), ("content-security-policy", "default-src 'self'"), ("x-content-type-options", "nosniff"),
        ]), body: reference[keyPath: part])
    }

    /// Waits until no ranking request is being scored, at most `timeout`; false when some still were then.
    func waitForScoring(timeout: Duration) -> Bool {
        scoring.wait(timeout: .now() + timeout.seconds) == .success
    }

    /// `handler` behind the credential and rate limit checks (unchanged when a route of `access` needs none).
    private func gated(_ access: RequestGate.Access = .api, _ handler: @escaping Router.Handler) -> Router.Handler {
        let gate = gate
        if gate.isOpen(for: access) { return handler }
        return { request in
            try gate.check(request, access: access)
            return try handler(request)
        }
    }

    /// A deferred `handler` behind the credential and rate limit checks.
    func gated(_ access: RequestGate.Access = .api, _ handler: @escaping Router.DeferredHandler) -> Router.DeferredHandler {
        let gate = gate
        if gate.isOpen(for: access) { return handler }
        return { request, responder in
            do throws(APIError) {
                try gate.check(request, access: access)
            } catch {
                responder.send(error.response)
                return
            }
            handler(request, responder)
        }
    }

    /// The fields of one access-log line: never a header, a body or a query string (they may hold secrets).
    static func accessLogFields(_ record: RequestRecord) -> Logger.Metadata {
        [
            "method": "\(record.method)", "path": "\(record.path)", "route": "\(record.route)", "status": "\(record.status)",
            "duration_ms": "\((record.duration / .microseconds(1)).rounded() / 1000)",
            "bytes_in": "\(record.requestBodyBytes)", "bytes_out": "\(record.responseBodyBytes)", "peer": "\(record.remoteAddress)",
        ]
    }

    // MARK: - Handlers

    /// `{"status": "ready"}`; with PostgreSQL also this process's `role`, unless it only serves whether it is the
    /// active `leader` among the trainers, and `"status": "degraded"` (with `store_unreachable_since`) while the
    /// database is unreachable. A trainer is ready once started: it answers no recommendations.
    private func readiness() throws(APIError) -> HTTPResponse {
        // Live popularity answers as soon as the store holds one event, before the first pass ends.
        guard configuration.role == .trainer || registry.snapshot != nil || store.eventCount > 0 else {
            throw APIError(status: .serviceUnavailable, code: "not_ready",
                           message: "the store has no events yet; post events and recommendations follow at once")
        }
        guard configuration.postgresStore != nil else { return .json(.ok, Array(#"{"status":"ready"}"#.utf8)) }
        // Degraded is still ready (200): reads answer from memory, and a replica taken out of rotation would
        // answer nothing at all while the database is away.
        let unreachableSince = store.unreachableSince
        var json = JSONWriter()
        json.beginObject()
        json.key("status"); json.string(unreachableSince == nil ? "ready" : "degraded")
        json.key("role"); json.string(configuration.role.rawValue)
        if configuration.role != .api {
            json.key("leader"); json.bool(isLeader())
        }
        if let unreachableSince {
            json.key("store_unreachable_since"); json.string(RFC3339.format(unreachableSince))
            json.key("message"); json.string("the database is unreachable: reads answer from the last model set and the seen items "
                                             + "in memory, writes get 503 until it is back")
        }
        json.endObject()
        return .json(.ok, json.bytes)
    }

    /// A validated ranking request: what its answer depends on, and how to compute it.
    private struct RankingRequest: Sendable {
        let key: ResponseCache.Key
        /// The user it is for (nil for similar items).
        let user: String?
        let compute: @Sendable () throws(Serving.Failure) -> ResponseCache.Entry
    }

    // Built once: a set literal in the handler would allocate on every request.
    private static let recommendationParameters: Set<String> = ["k", "model", "exclude", "category", "filter"]
    private static let similarParameters: Set<String> = ["k", "model", "category", "filter"]
    private static let repeatableParameters: Set<String> = ["category"]

    private func recommendations(_ request: HTTPRequest) throws -> RankingRequest {
        let user = request.pathParameters["user", default: ""]
        try Self.checkIdentifier(user, name: "user")
        let query = try Self.parameters(of: request, allowed: Self.recommendationParameters, repeatable: Self.repeatableParameters)
        let count = try Self.count(from: query)
        let requested = try Self.modelKind(from: query)
        let exclude = try query["exclude"] == nil ? [] : Self.excludedItems(of: request)
        let categories = try query["category"] == nil ? [] : Self.categories(of: request)
        var filter = try query["filter"].map(Self.filter)
        // A request that names no model is answered as its experiment's variant says, if one applies.
        let assignment = requested == nil && !online.experiments.all.isEmpty
            ? online.experiments.assignment(user: user, at: serving.clock()) : nil
        if let variantFilter = assignment?.filter { filter = filter.map { .and($0, variantFilter) } ?? variantFilter }
        let revision = store.userIndex(user).map { store.historyRevision(ofUser: $0) } ?? 0
        let key = rankingKey(route: "recommendations", subject: user, revision: revision, query: request.rawQuery,
                             experiment: assignment?.experiment ?? "", variant: assignment?.variant ?? "")
        return RankingRequest(key: key, user: user) { [filter] () throws(Serving.Failure) in
            var answer: Serving.Answer
            do throws(Serving.Failure) {
                answer = try serving.recommend(user: user, count: count, model: assignment?.model ?? requested, excluding: exclude,
                                               categories: categories, filter: filter)
            } catch {
                // A variant's model that is not trained yet: the default answers, and the list says which model did.
                guard assignment != nil, Self.isMissingModel(error) else { throw error }
                answer = try serving.recommend(user: user, count: count, model: nil, excluding: exclude, categories: categories,
                                               filter: filter)
            }
            return Self.entry(answer, subjectKey: "user", subject: user, count: count, assignment: assignment)
        }
    }

    private func similar(_ request: HTTPRequest) throws -> RankingRequest {
        let item = request.pathParameters["item", default: ""]
        try Self.checkIdentifier(item, name: "item")
        let query = try Self.parameters(of: request, allowed: Self.similarParameters, repeatable: Self.repeatableParameters)
        let count = try Self.count(from: query)
        let model = try Self.modelKind(from: query)
        let categories = try query["category"] == nil ? [] : Self.categories(of: request)
        let filter = try query["filter"].map(Self.filter)
        let key = rankingKey(route: "similar", subject: item, revision: 0, query: request.rawQuery)
        return RankingRequest(key: key, user: nil) { () throws(Serving.Failure) in
            let answer = try serving.similar(to: item, count: count, model: model, categories: categories, filter: filter)
            return Self.entry(answer, subjectKey: "item", subject: item, count: count, assignment: nil)
        }
    }

    private func rankingKey(
        route: String, subject: String, revision: Int, query: Substring, experiment: String = "", variant: String = ""
    ) -> ResponseCache.Key {
        ResponseCache.Key(route: route, subject: subject, revision: revision,
                          version: registry.snapshot?.version ?? "", query: String(query),
                          catalogue: catalogue.visibility(at: serving.clock()).generation, experiment: experiment, variant: variant)
    }

    /// Answers from the cache when the same query was answered for the same model set and history; else
    /// computes, encodes and caches the answer on the scoring queue (not an answer of a sampling model).
    private func answerRanking(
        _ request: HTTPRequest, _ responder: HTTPResponder, parse: (HTTPRequest) throws -> RankingRequest
    ) {
        let ranking: RankingRequest
        do {
            ranking = try parse(request)
        } catch {
            responder.send((error as? any HTTPResponseConvertible)?.response
                ?? .error(.internalServerError, code: "internal_error", message: "the server failed to handle this request"))
            return
        }
        if let entry = answers.value(for: ranking.key) {
            send(entry, for: ranking, to: responder)
            return
        }
        scoringQueue.async(group: scoring) {
            do throws(Serving.Failure) {
                let entry = try ranking.compute()
                // A sampling model's answer is one draw: caching it would show every later request the same one.
                if entry.version == ranking.key.version && !entry.model.samplesRankings {
                    answers.store(entry, for: ranking.key)
                }
                send(entry, for: ranking, to: responder)
            } catch {
                responder.send(Self.apiError(error).response)
            }
        }
    }

    /// Sends an answer under a fresh `recommendation_id`, remembering the list served under it.
    private func send(_ entry: ResponseCache.Entry, for ranking: RankingRequest, to responder: HTTPResponder) {
        let (experiment, variant) = (ranking.key.experiment, ranking.key.variant)
        var body = entry.body
        if online.log != nil {
            let list = ServedList(id: "", servedAt: serving.clock(), expiresAt: 0, user: ranking.user, model: entry.model.rawValue,
                                  version: entry.version, experiment: experiment, variant: variant, items: entry.items)
            body = online.tag(entry.body, as: list)
        }
        metrics.recordServed(model: entry.model.rawValue, experiment: experiment, variant: variant)
        responder.send(Self.rankedResponse(body, version: entry.version))
    }

    private static func entry(
        _ answer: Serving.Answer, subjectKey: String, subject: String, count: Int, assignment: Experiments.Assignment?
    ) -> ResponseCache.Entry {
        var json = JSONWriter(capacity: 64 + count * 40)
        json.beginObject()
        json.key(subjectKey); json.string(subject)
        if let assignment, !assignment.variant.isEmpty {
            json.key("experiment"); json.string(assignment.experiment)
            json.key("variant"); json.string(assignment.variant)
        }
        json.key("model"); json.string(answer.model.rawValue)
        json.key("version"); json.string(answer.version)
        json.key("items"); answer.writeItems(into: &json)
        json.endObject()
        return ResponseCache.Entry(body: json.bytes, model: answer.model, version: answer.version, items: answer.items.map(\.id))
    }

    private func models() -> HTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        json.key("models")
        json.beginArray()
        if let set = registry.snapshot {
            for trained in set.models {
                json.beginObject()
                json.key("name"); json.string(trained.kind.rawValue)
                json.key("version"); json.string(set.version)
                json.key("trained_at"); json.string(RFC3339.format(set.trainedAt))
                json.key("training_seconds"); json.number(trained.trainingSeconds)
                json.key("users"); json.int(trained.users)
                json.key("items"); json.int(trained.items)
                json.key("ranked_items"); json.int(trained.model.rankedItemCount)
                json.key("events"); json.int(trained.events)
                json.key("evaluation")
                if let evaluation = trained.evaluation { evaluation.write(into: &json) } else { json.null() }
                json.key("default"); json.bool(trained.kind == (set.defaultModel ?? defaultByPreference(set)))
                json.endObject()
            }
        }
        if let content = serving.content?.summary {
            // Kept current with the catalogue rather than trained in passes: its own version and fit time.
            json.beginObject()
            json.key("name"); json.string(ModelKind.content.rawValue)
            json.key("version"); json.string(content.version)
            json.key("trained_at"); json.string(RFC3339.format(content.fittedAt))
            json.key("training_seconds"); json.number(content.fitSeconds)
            json.key("users"); json.int(0)
            json.key("items"); json.int(content.items)
            json.key("ranked_items"); json.int(content.items)
            json.key("events"); json.int(0)
            json.key("evaluation"); json.null()
            json.key("default"); json.bool(false)
            json.endObject()
        }
        json.endArray()
        json.key("last_error")
        if let error = trainer.lastError { json.string(error) } else { json.null() }
        json.key("skipped")
        json.beginArray()
        for skipped in trainer.skippedModels {
            json.beginObject()
            json.key("name"); json.string(skipped.model.rawValue)
            json.key("reason"); json.string(skipped.reason)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return .json(.ok, json.bytes)
    }

    /// The model answering requests that name none when the set chose no default: the first configured personal
    /// model it has, else the first it has.
    private func defaultByPreference(_ set: ModelSet) -> ModelKind? {
        configuration.models.first { ![.content, .trending, .popular].contains($0) && set.model($0) != nil }
            ?? configuration.models.first { set.model($0) != nil }
    }

    /// Behind the admin gate, like `retrainJob`. An API replica never trains: it names who does.
    private func retrain() throws(APIError) -> HTTPResponse {
        guard configuration.role != .api else {
            throw APIError(status: .conflict, code: "not_a_trainer",
                           message: "this process serves the API only (role api); send POST /retrain to a process with role trainer")
        }
        let job = trainer.requestPass(seeingEverythingStored: true)
        return .json(.accepted, Self.jobJSON(job))
    }

    private func retrainJob(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard let job = trainer.job(request.pathParameters["job", default: ""]) else {
            throw APIError(status: .notFound, code: "unknown_job", message: "no such training job")
        }
        return .json(.ok, Self.jobJSON(job))
    }

    private func ingest(_ request: HTTPRequest, _ responder: HTTPResponder) {
        do {
            let events = try decodeEvents(request)
            // Lists served before this request are handed to the store first, so its events can be attributed.
            if events.contains(where: { $0.recommendationID != nil }) { online.log?.flush() }
            store.append(events) { result in
                switch result {
                case .success(let outcome):
                    metrics.recordIngest(accepted: outcome.accepted, duplicates: outcome.duplicates)
                    metrics.recordAttributions(outcome.attributions, unattributed: outcome.unattributed)
                    responder.send(.json(.ok, Array(#"{"accepted":\#(outcome.accepted),"duplicates":\#(outcome.duplicates)}"#.utf8)))
                case .failure(let error):
                    logger.error("events not stored", metadata: ["error": "\(error)", "count": "\(events.count)"])
                    responder.send(.error(.serviceUnavailable, code: "store_unavailable",
                                          message: "the events were not stored: \(error.code); retry later",
                                          headers: HTTPHeaders([("retry-after", "1")])))
                }
            }
        } catch {
            responder.send(error.response)
        }
    }

    private func decodeEvents(_ request: HTTPRequest) throws(APIError) -> [Event] {
        guard request.declaresBody else {
            throw APIError(status: .lengthRequired, code: "length_required",
                           message: "POST /events needs Content-Length or chunked Transfer-Encoding")
        }
        let mediaType = request.headers["content-type"]?.split(separator: ";").first?
            .trimmingCharacters(in: " \t").lowercased() ?? ""
        let format: EventBodyDecoder.Format
        switch mediaType {
        case "application/json": format = .json
        case "application/x-ndjson", "application/jsonl", "application/ndjson": format = .ndjson
        default:
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: "send application/json or application/x-ndjson")
        }
        let decoder = EventBodyDecoder(configuration: .init(maxDepth: configuration.maxJSONDepth,
                                                            maxEvents: configuration.validation.maxBatchSize))
        let inputs: [EventInput]
        do {
            inputs = try decoder.decode(request.body, format: format)
        } catch {
            if case .tooManyEvents = error.reason {
                throw APIError(status: .contentTooLarge, code: "payload_too_large", message: error.message)
            }
            throw APIError(status: .badRequest, code: "invalid_json", message: error.description)
        }
        do {
            return try EventValidator(configuration: configuration.validation).validate(inputs)
        } catch {
            metrics.recordRejected(inputs.count)
            switch error {
            case .batchTooLarge:
                throw APIError(status: .contentTooLarge, code: "payload_too_large", message: error.description)
            case .invalidEvents(let issues):
                throw APIError(status: .badRequest, code: "invalid_events",
                               message: "\(issues.count) problem(s) in the batch; nothing was stored",
                               details: issues.map(Self.issueJSON))
            }
        }
    }

    // MARK: - Helpers

    private static func issueJSON(_ issue: ValidationIssue) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("index"); json.int(issue.index)
        json.key("field"); json.string(issue.field.description)
        json.key("message"); json.string(issue.message)
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    private static func jobJSON(_ job: Trainer.Job) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("job"); json.string(job.id)
        json.key("status"); json.string(job.status.rawValue)
        json.key("durations")
        json.beginObject()
        for entry in job.durations { json.key(entry.phase); json.number(entry.seconds) }
        json.endObject()
        json.key("error")
        if let error = job.error { json.string(error) } else { json.null() }
        json.key("skipped")
        json.beginArray()
        for entry in job.skippedModels {
            json.beginObject()
            json.key("name"); json.string(entry.model.rawValue)
            json.key("reason"); json.string(entry.reason)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes
    }

    private static func rankedResponse(_ body: [UInt8], version: String) -> HTTPResponse {
        .json(.ok, body, headers: HTTPHeaders([("etag", "\"\(version)\""), ("cache-control", "no-store")]))
    }

    /// Path ids follow the same rule as ids in events (``IdentifierRule``).
    static func checkIdentifier(_ id: String, name: String) throws(APIError) {
        if let violation = IdentifierRule.violation(of: id, maxBytes: 256) {
            throw APIError.badRequest("\(name) id \(IdentifierRule.message(violation))")
        }
    }

    /// The query's parameters by name; a name outside `allowed` is refused rather than ignored, since it is
    /// most often a misspelling or a value serialised the wrong way (an object `k` sent as its keys).
    /// Names in `repeatable` may appear more than once (the result holds the last; read them all separately).
    @discardableResult
    static func parameters(of request: HTTPRequest, allowed: Set<String>, repeatable: Set<String> = []) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in try request.queryItems() {
            guard allowed.contains(item.name) else {
                let takes = allowed.isEmpty ? "this route takes none" : "this route takes \(allowed.sorted().joined(separator: ", "))"
                throw APIError.badRequest("unknown query parameter \(Self.quoted(item.name)); \(takes)", code: "unknown_parameter")
            }
            guard result[item.name] == nil || repeatable.contains(item.name) else {
                throw APIError.badRequest("query parameter \(item.name) given twice")
            }
            result[item.name] = item.value
        }
        return result
    }

    /// `name` in double quotes, with control characters escaped so the message stays one readable line.
    private static func quoted(_ name: String) -> String {
        var text = "\""
        for scalar in name.unicodeScalars.prefix(64) {
            text += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return text + (name.unicodeScalars.count > 64 ? "…\"" : "\"")
    }

    /// The ids of `exclude`: split on its literal commas before percent-decoding, so `%2C` stays inside an id.
    /// Every id must be a valid item id (``IdentifierRule``): `exclude=` or `a,,b` is a mistake, not a skip.
    private static func excludedItems(of request: HTTPRequest) throws -> [String] {
        guard let raw = request.rawQueryItems().first(where: { (try? percentDecode($0.name, plusAsSpace: true)) == "exclude" })?.value
        else { return [] }
        let pieces = raw.split(byte: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard pieces.count <= 1000 else { throw APIError.badRequest("exclude lists at most 1000 items") }
        let ids = try pieces.map { try percentDecode($0, plusAsSpace: true) }
        for id in ids {
            if let violation = IdentifierRule.violation(of: id, maxBytes: 256) {
                throw APIError.badRequest("exclude holds an item id that \(IdentifierRule.message(violation))")
            }
        }
        return ids
    }

    /// Every `category` of the query (any of them may match), each a valid id.
    private static func categories(of request: HTTPRequest) throws -> [String] {
        let categories = try request.queryItems().filter { $0.name == "category" }.map(\.value)
        guard categories.count <= 64 else { throw APIError.badRequest("at most 64 category parameters") }
        for category in categories {
            if let violation = IdentifierRule.violation(of: category, maxBytes: 128) {
                throw APIError.badRequest("category \(IdentifierRule.message(violation))")
            }
        }
        return categories
    }

    /// The parsed `filter=` expression; a syntax error is `400 invalid_filter` with its character position.
    private static func filter(_ text: String) throws(APIError) -> FilterExpression {
        do {
            return try FilterParser.parse(text)
        } catch {
            var detail = JSONWriter()
            detail.beginObject()
            detail.key("field"); detail.string("filter")
            detail.key("position"); detail.int(error.position)
            detail.key("message"); detail.string(error.message)
            detail.endObject()
            throw APIError(status: .badRequest, code: "invalid_filter", message: "filter: \(error.description)",
                           details: [String(decoding: detail.bytes, as: UTF8.self)])
        }
    }

    private static func count(from query: [String: String]) throws(APIError) -> Int {
        guard let text = query["k"] else { return 10 }
        guard let k = Int(text), (1...1000).contains(k) else {
            throw APIError.badRequest("k must be an integer from 1 to 1000")
        }
        return k
    }

    static func modelKind(from query: [String: String]) throws(APIError) -> ModelKind? {
        guard let name = query["model"] else { return nil }
        guard let kind = ModelKind(rawValue: name == "pop" ? "popular" : name) else {
            throw APIError.badRequest("unknown model \(name); use one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))",
                                      code: "unknown_model")
        }
        return kind
    }

    private static func isMissingModel(_ failure: Serving.Failure) -> Bool {
        switch failure {
        case .noModels, .unknownModel: true
        case .unknownItem, .notARatingModel: false
        }
    }

    static func apiError(_ failure: Serving.Failure) -> APIError {
        switch failure {
        case .noModels:
            APIError(status: .serviceUnavailable, code: "not_ready", message: "no model has been trained yet; retry shortly",
                     headers: HTTPHeaders([("retry-after", "1")]))
        case .unknownModel(let name):
            APIError.badRequest("model \(name) is not trained on this server", code: "unknown_model")
        case .unknownItem(let item):
            APIError(status: .notFound, code: "unknown_item", message: "item \(item) is not known to the model")
        case .notARatingModel(let name):
            APIError.badRequest("model \(name) does not predict ratings; use mf, or mlp trained with mlp.objective=rating",
                                code: "unknown_model")
        }
    }
}
