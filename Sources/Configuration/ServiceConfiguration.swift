import EventFormats
import Catalogue
import Training
import EventStore
import HTTPServer
import Logging
import Models
import Observability
import OnlineLoop
import PostgresStore

/// Everything `recsmith serve` can be told, after the file, environment and flags have been merged
/// (see `ServiceConfiguration.settings` for every key and `resolve` for the precedence).
package struct ServiceConfiguration: Sendable {
    /// Path of the SQLite event store; model snapshots and the generated admin token live beside it (with a
    /// PostgreSQL store too, unless `modelDirectoryOverride` names another place for the snapshots).
    package var databasePath: String = "./var/recsmith.sqlite"
    /// The PostgreSQL database holding the store (`store = postgresql://…`); nil: the SQLite file at `databasePath`.
    package var postgresStore: PostgresTarget?
    /// What this process does: serve, train, or both (`role`); `api` and `trainer` need `postgresStore`.
    package var role: ServiceRole = .all
    /// Where model snapshots are persisted (`models_dir`); nil: `models/` beside the SQLite file (`databasePath`'s
    /// directory, `./var` by default, also with a PostgreSQL store).
    package var modelDirectoryOverride: String?
    /// Commit durability of the store.
    package var durability: SQLiteEventStore.Durability = .full
    /// Caps the store file at this many pages (`SQLiteEventStore.Configuration.maxPageCount`): appends past it fail
    /// with `diskFull`, as on a full disk. Nil, the default, leaves only the disk's limit. Not a configuration
    /// key; it lets tests fill a store without filling a disk.
    package var maxStorePages: Int?
    /// HTTP limits, timeouts, host and port; `http.tls` is set once both TLS files below are named.
    package var http = HTTPServerConfiguration()
    /// PEM certificate chain for HTTPS (`tls_cert`); HTTPS needs `tlsKeyPath` too.
    package var tlsCertificatePath: String? { didSet { pairTLSFiles() } }
    /// PEM private key of the chain's first certificate (`tls_key`).
    package var tlsKeyPath: String? { didSet { pairTLSFiles() } }
    /// Models trained on every pass, in order of preference for answering recommendations.
    package var models: [ModelKind] = [.als, .bpr, .itemknn, .content, .trending, .popular]
    /// Hyper-parameters of every model.
    package var modelParameters = ModelParameters()
    /// Seed for every model's random initialisation.
    package var seed: UInt64 = 1
    /// The model answering similar items when a request names none; the others follow as fallbacks.
    package var similarItemsModel: SimilarItemsModel = .itemknn
    /// How recommendations that name no model pick one.
    package var servingModel: ServingModel = .preference
    /// The held-out evaluation `servingModel = .auto` runs every pass (its seed is `seed`).
    package var modelSelection = ModelSelection()
    /// Which models are served from an HNSW index, and the index's parameters.
    package var indexing = ModelIndexing()
    /// Time between scheduled retrains; nil retrains only on `POST /retrain` (and once the store first has events).
    package var retrainInterval: Duration? = .seconds(600)
    /// A scheduled retrain is skipped when fewer new events than this arrived since the last pass.
    package var minNewEventsForRetrain: Int = 1
    /// Growth of the store since the last pass (a share of that pass's events: 0.5 is 50%) that starts a pass
    /// before the interval is up; 0 turns it off. Ignored when `retrainInterval` is nil (on demand only).
    package var retrainGrowth: Double = 0.5
    /// The admin token for `POST /retrain`; nil means generate one and store it beside the database.
    package var adminToken: AdminToken?
    /// The file `adminToken` was read from, if it came from a file.
    package var adminTokenFile: String?
    /// The key every route but `/healthz`, `/readyz` and `/metrics` requires; nil means none is required.
    package var apiKey: AdminToken?
    /// The file `apiKey` was read from, if it came from a file.
    package var apiKeyFile: String?
    /// Per-client request rate limit; off by default.
    package var rateLimit = RateLimitSettings()
    /// Encoded ranking answers kept per cache generation (two generations at most); 0 turns the cache off.
    package var answerCacheEntries: Int = 50_000
    /// Least severe log level written.
    package var logLevel: Logger.Level = .info
    /// Log line format.
    package var logFormat: LogFormat = .logfmt
    /// Whether every request is logged (at info level).
    package var accessLog = false
    /// Event validation rules (types and their weights, limits).
    package var validation = EventValidator.Configuration()
    /// Relation types and the weight each gives an item pair (`relation_types` in the file).
    package var relationTypes = RelationTypeWeights.standard
    /// Deepest JSON nesting accepted in a `POST /events` body (an event inside an array is depth 2).
    package var maxJSONDepth = 32
    /// Recommendation ids and the served lists remembered for attribution (`online.*`).
    package var online = OnlineSettings()
    /// A/B experiments over the recommendations of requests that name no model (`experiments`).
    package var experiments: [Experiment] = []

    /// Limits on catalogue records; a `POST /items` batch holds as many records as an events batch holds events.
    package var recordLimits: RecordLimits {
        var limits = RecordLimits()
        limits.maxBatchSize = validation.maxBatchSize
        return limits
    }

    package init() {}

    /// How the service opens its event store.
    package var storeConfiguration: SQLiteEventStore.Configuration {
        SQLiteEventStore.Configuration(
            path: databasePath, durability: durability, maxPageCount: maxStorePages,
            explicitTypes: Set(modelParameters.mf.explicitTypes), conversionTypes: Set(online.conversionTypes))
    }

    /// Directory holding the database file.
    package var dataDirectory: String {
        guard let slash = databasePath.lastIndex(of: "/") else { return "." }
        let directory = String(databasePath[..<slash])
        return directory.isEmpty ? "/" : directory
    }

    /// Directory of persisted model snapshots.
    package var modelDirectory: String { modelDirectoryOverride ?? dataDirectory + "/models" }

    /// How the service opens its event store when it lives in PostgreSQL.
    package func postgresConfiguration(_ target: PostgresTarget) -> PostgresEventStore.Configuration {
        PostgresEventStore.Configuration(
            target: target, explicitTypes: Set(modelParameters.mf.explicitTypes), conversionTypes: Set(online.conversionTypes))
    }

    /// File the generated admin token is written to.
    package var generatedTokenPath: String { dataDirectory + "/admin-token" }

    /// Turns HTTPS on once both files are named; one alone is refused by `ConfigurationResolver`.
    private mutating func pairTLSFiles() {
        guard let certificate = tlsCertificatePath, let key = tlsKeyPath else { return }
        http.tls = TLSConfiguration(certificateChainPath: certificate, privateKeyPath: key)
    }
}
