import EventStore
import HTTPServer
import Logging
import Models
import NearestNeighbors
import Observability
import OnlineLoop
import PostgresStore
import Training

extension ServiceConfiguration {
    /// Every key of the configuration file, in the order `recsmith config print` shows them. `event_types`
    /// (a mapping of type name to weight) is the one key that only the file can set.
    package static var settings: [Setting] {
        [
            .text("host", "address to listen on (IPv4 or IPv6 literal, or localhost)", \.http.host),
            .integer("port", "TCP port; 0 picks a free one", 0...65535, \.http.port),
            .path("tls_cert", "PEM certificate chain (server certificate first); with tls_key the port speaks HTTPS only, "
                  + "reloaded on SIGHUP", \.tlsCertificatePath),
            .path("tls_key", "PEM private key of tls_cert's first certificate", \.tlsKeyPath),
            .text("db", "SQLite store path; models/ and the generated admin token live beside it", \.databasePath),
            Setting(key: "store", summary: "where events live: sqlite:PATH (the same as db = PATH) or postgresql://user@host:5432/db "
                    + "(shared by several processes; TLS when the URL's sslmode asks for it)",
                    parse: { configuration, text in
                        if let target = PostgresTarget(url: text) {
                            configuration.postgresStore = target
                        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
                            configuration.postgresStore = nil
                            configuration.databasePath = String(text.dropFirst("sqlite:".count))
                        } else {
                            return "sqlite:PATH or postgresql://…"
                        }
                        return nil
                    }, show: { configuration in
                        configuration.postgresStore?.redacted ?? "sqlite:" + configuration.databasePath
                    }),
            .choice("role", "what this process does: all (serve and train), api (serve; never trains, loads the trainers' "
                    + "model sets) or trainer (one elected trainer trains and publishes; serves /healthz, /readyz and /metrics); "
                    + "api and trainer need a PostgreSQL store", \.role),
            .path("models_dir", "directory of the persisted model snapshots (default: models/ beside db, also with a "
                  + "PostgreSQL store)", \.modelDirectoryOverride),
            Setting(key: "synchronous", summary: "commit durability: full (a 2xx survives power loss) or normal (survives a process crash only)",
                    parse: { configuration, text in
                        switch text {
                        case "full": configuration.durability = .full
                        case "normal": configuration.durability = .normal
                        default: return "full or normal"
                        }
                        return nil
                    }, show: { $0.durability == .full ? "full" : "normal" }),
            Setting(key: "models", summary: "models served, in order of preference for recommendations (content is kept current with the catalogue, the others are trained on every pass)",
                    parse: { configuration, text in
                        guard let kinds = try? parseModels(text) else {
                            return "a comma-separated list of " + ModelKind.allCases.map(\.rawValue).joined(separator: ", ")
                        }
                        configuration.models = kinds
                        return nil
                    }, show: { $0.models.map(\.rawValue).joined(separator: ",") }),
            .choice("similar_model", "model answering /items/{id}/similar by default (itemknn, als, bpr, svd, ease, content, mf, pairmf, markov, autoencoder, sequence or mlp)",
                    \.similarItemsModel),
            .choice("serving.model", "which model answers recommendations that name none: preference (the first of models "
                    + "that is trained) or auto (each pass ranks the models on held-out events and picks the best)", \.servingModel),
            .choice("serving.index", "exact (score every item), hnsw (an HNSW index over the item factors of als, bpr, svd, autoencoder and sequence, "
                    + "built in each pass and persisted with it) or auto (hnsw above serving.index_threshold items)", \.indexing.mode),
            .integer("serving.index_threshold", "items above which serving.index = auto searches an index", 0...Int(Int32.max),
                     \.indexing.threshold),
            Setting(key: "serving.index_models", summary: "per-model serving.index, e.g. als=hnsw,svd=exact (empty: none)",
                    parse: { configuration, text in
                        var overrides: [ModelKind: ModelIndexing.Mode] = [:]
                        for pair in text.split(separator: ",") where !pair.allSatisfy(\.isWhitespace) {
                            let parts = pair.split(separator: "=").map { String($0.filter { !$0.isWhitespace }) }
                            guard parts.count == 2, let kind = ModelKind(rawValue: parts[0]),
                                  let mode = ModelIndexing.Mode(rawValue: parts[1]) else {
                                return "a comma-separated list of model=exact|hnsw|auto"
                            }
                            overrides[kind] = mode
                        }
                        configuration.indexing.overrides = overrides
                        return nil
                    }, show: { configuration in
                        configuration.indexing.overrides.sorted { $0.key.rawValue < $1.key.rawValue }
                            .map { "\($0.key.rawValue)=\($0.value.rawValue)" }.joined(separator: ",")
                    }),
            .integer("auto.sample_users", "users whose latest event each pass holds out when serving.model is auto",
                     10...1_000_000, \.modelSelection.sampleUsers),
            .flag("auto.refit", "with serving.model auto, fit the models again on every event after choosing (false: the "
                  + "held-out fits serve)", \.modelSelection.refit),
            Setting(key: "retrain_interval", summary: "time between scheduled retrains (30s, 10m, 1h), 0 for on demand only (the first pass still starts by itself)",
                    parse: { configuration, text in
                        do {
                            configuration.retrainInterval = try parseInterval(text)
                            return nil
                        } catch {
                            return "a duration such as 30s, 10m or 1h, or 0"
                        }
                    }, show: { $0.retrainInterval.map(DurationText.format) ?? "0" }),
            .integer("min_new_events_for_retrain", "a scheduled retrain is skipped below this many new events",
                     0...Int.max, \.minNewEventsForRetrain),
            .number("retrain_growth", "a pass starts before the interval once the store grew by this share since the last pass "
                    + "(0.5 is 50%); 0 is off", above: 0, inclusive: true, \.retrainGrowth),
            Setting(key: "seed", summary: "seed of every model's random initialisation",
                    parse: { configuration, text in
                        guard let seed = UInt64(text) else { return "a whole number from 0 to \(UInt64.max)" }
                        configuration.seed = seed
                        return nil
                    }, show: { String($0.seed) }),
            .secretFile("admin_token_file", "file holding the admin token (RECSMITH_ADMIN_TOKEN gives it directly; "
                        + "unset: generated beside the database)", \.adminToken, file: \.adminTokenFile),
            .secretFile("api_key_file", "file holding the API key every non-probe route then requires "
                        + "(RECSMITH_API_KEY gives it directly; unset: no key)", \.apiKey, file: \.apiKeyFile),
            .number("rate_limit", "requests per second allowed per client (API key or address); 0 is off",
                    above: 0, inclusive: true, \.rateLimit.requestsPerSecond),
            .integer("rate_limit_burst", "requests a client may send at once; 0 means one second's worth",
                     0...1_000_000, \.rateLimit.burst),
            .choice("log_level", "trace, debug, info, notice, warning, error or critical", \.logLevel),
            .choice("log_format", "logfmt or json, one line per event on standard error", \.logFormat),
            .flag("access_log", "log one line per request (method, path, status, duration, bytes, peer)", \.accessLog),
            .integer("io_threads", "HTTP event-loop threads", 1...64, \.http.ioThreads).documentingDefault(as: "one per core, at most 8"),
            .integer("answer_cache_entries", "ranking answers cached per model version; 0 is off",
                     0...10_000_000, \.answerCacheEntries),
            .integer("max_batch_events", "most events in one POST /events body (413 beyond)", 1...1_000_000,
                     \.validation.maxBatchSize),
            .number("max_weight", "largest event weight or rating value (400 beyond); float32 sums and ALS confidences need the margin",
                    above: 0, \.validation.maxWeight),
            .integer("max_json_depth", "deepest JSON nesting in a POST /events body (400 beyond; an event in an array is 2)",
                     2...1_000, \.maxJSONDepth),
            .integer("http.max_body_bytes", "largest request body (413 beyond)", 1...(1 << 31), \.http.maxBodyBytes),
            .integer("http.max_request_line_bytes", "longest request line (414 beyond)", 64...(1 << 20),
                     \.http.maxRequestLineBytes),
            .integer("http.max_header_bytes", "largest header section (431 beyond)", 256...(1 << 22), \.http.maxHeaderBytes),
            .integer("http.max_header_count", "most header fields in one request (431 beyond)", 1...10_000, \.http.maxHeaderCount),
            .duration("http.header_read_timeout", "time to receive a request's header section", \.http.headerReadTimeout),
            .duration("http.body_idle_timeout", "longest pause while a body is received", \.http.bodyIdleTimeout),
            .duration("http.keep_alive_timeout", "how long an idle keep-alive connection stays open", \.http.keepAliveIdleTimeout),
            .duration("http.write_idle_timeout", "longest pause while a slow reader takes a response", \.http.writeIdleTimeout),
            .integer("http.max_requests_per_connection", "requests served on one connection before it is closed",
                     1...Int.max, \.http.maxRequestsPerConnection),
            .integer("http.max_connections", "open connections beyond which new ones get 503", 1...1_000_000, \.http.maxConnections),
            .duration("http.drain_timeout", "on shutdown, time in-flight requests get to finish", \.http.drainTimeout),
            .flag("http.http2", "serve HTTP/2: h2 through ALPN with TLS, h2c with prior knowledge without", \.http.http2Enabled),
            .integer("http.max_concurrent_streams", "HTTP/2 streams open at once on one connection (more are refused)",
                     1...10_000, \.http.maxConcurrentStreams),
            .flag("online.recommendation_ids", "ranking answers carry a recommendation_id and what was served is remembered, so "
                  + "events that echo the id are attributed (false: neither)", \.online.recommendationIDs),
            .duration("online.retention", "how long a served list is remembered; events naming it later count as unattributed",
                      \.online.retention),
            .integer("online.memory_mib", "MiB the served lists waiting for the store may take; lists beyond it are not remembered "
                     + "(counted as dropped)", 1...65_536, \.online.memoryMiB),
            .integer("online.remember_per_second", "served lists remembered per second in full; above it every n-th is, weighted by n",
                     1...10_000_000, \.online.rememberPerSecond),
            Setting(key: "online.conversion_types", summary: "event types that make an attributed list a conversion",
                    parse: { configuration, text in
                        let types = text.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }
                        guard !types.isEmpty, types.count <= 100, types.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
                            return "a comma-separated list of 1 to 100 event type names"
                        }
                        configuration.online.conversionTypes = types
                        return nil
                    }, show: { $0.online.conversionTypes.joined(separator: ",") }),
            Setting(key: "experiments", summary: "A/B experiments: a YAML list in the file, the same as YAML or JSON flow text in the "
                    + "environment or --set (see the README)",
                    parse: { configuration, text in
                        do throws(ExperimentError) {
                            configuration.experiments = try ExperimentsParser.parse(text: text)
                            return nil
                        } catch {
                            return "a list of experiments (\(error.description))"
                        }
                    }, show: { $0.experiments.isEmpty ? "[]" : ExperimentsParser.text($0.experiments) }),
            .integer("hnsw.m", "HNSW neighbours kept per item on the upper layers (M; the bottom layer keeps 2·M)", 2...128,
                     \.indexing.parameters.neighbours),
            .integer("hnsw.ef_construction", "HNSW candidates considered while linking an item (efConstruction)", 1...10_000,
                     \.indexing.parameters.constructionWidth),
            .integer("hnsw.ef", "HNSW candidates kept while searching (ef; at least k): wider is slower and closer to exact",
                     1...10_000, \.indexing.parameters.searchWidth),
            .integer("hnsw.head", "HNSW items of largest norm scanned exactly before the graph walk (inner product; "
                     + "answers exact when their norms prove it; 0: none)", 0...1_000_000, \.indexing.parameters.headCount),
            .integer("als.factors", "ALS latent dimension", 1...1024, \.modelParameters.als.factors),
            .integer("als.iterations", "ALS sweeps over users then items", 1...1000, \.modelParameters.als.iterations),
            .number("als.regularization", "ALS λ", above: 0, inclusive: true, \.modelParameters.als.regularization),
            .number("als.alpha", "ALS confidence scale α (c = 1 + α·w)", above: 0, \.modelParameters.als.alpha),
            .integer("als.cg_steps", "ALS conjugate-gradient steps per solve", 1...100, \.modelParameters.als.cgSteps),
            .integer("bpr.factors", "BPR latent dimension", 1...1024, \.modelParameters.bpr.factors),
            .integer("bpr.epochs", "BPR epochs", 1...10_000, \.modelParameters.bpr.epochs),
            .number("bpr.learning_rate", "BPR SGD step size", above: 0, \.modelParameters.bpr.learningRate),
            .number("bpr.regularization", "BPR L2 penalty", above: 0, inclusive: true, \.modelParameters.bpr.regularization),
            .integer("itemknn.neighbors", "item-kNN rows kept per item, the item itself included", 2...10_000,
                     \.modelParameters.itemKNN.neighbors),
            .choice("itemknn.weighting", "item-kNN value weighting: cosine, tfidf or bm25", \.modelParameters.itemKNN.weighting),
            Setting(key: "trending.half_life", summary: "trending decay half-life (e.g. 1d, 12h)",
                    parse: { configuration, text in
                        guard let interval = try? parseInterval(text) else { return "a duration such as 12h or 7d" }
                        let components = interval.components
                        configuration.modelParameters.trending.halfLifeSeconds =
                            Double(components.seconds) + Double(components.attoseconds) * 1e-18
                        return nil
                    }, show: { DurationText.format(.milliseconds(Int64($0.modelParameters.trending.halfLifeSeconds * 1000))) }),
            .number("ease.lambda", "EASE λ added to the item Gram matrix's diagonal", above: 0, \.modelParameters.ease.regularization),
            .integer("ease.max_items", "EASE covers at most this many items, the most-interacted (4·n² bytes, n³ flops to fit)",
                     1...100_000, \.modelParameters.ease.maxItems),
            .integer("svd.factors", "SVD singular triplets kept", 1...1024, \.modelParameters.svd.factors),
            .integer("svd.power_iterations", "SVD power iterations of the randomized range finder", 0...100,
                     \.modelParameters.svd.powerIterations),
            .integer("svd.oversamples", "SVD sketch columns beyond svd.factors", 0...1000, \.modelParameters.svd.oversamples),
            .integer("mf.factors", "MF latent dimension; 0 fits the biases alone", 0...1024, \.modelParameters.mf.factors),
            .choice("mf.solver", "MF solver: sgd (sequential, seeded) or als (exact ridge solves in parallel)",
                    \.modelParameters.mf.solver),
            .integer("mf.epochs", "MF SGD passes over the ratings", 1...10_000, \.modelParameters.mf.epochs),
            .number("mf.learning_rate", "MF SGD step size of the first epoch", above: 0, \.modelParameters.mf.learningRate),
            Setting(key: "mf.learning_rate_decay", summary: "MF SGD step size is multiplied by this after every epoch (1: constant)",
                    parse: { configuration, text in
                        guard let value = Float(text), value > 0, value <= 1 else { return "a number above 0, at most 1" }
                        configuration.modelParameters.mf.learningRateDecay = value
                        return nil
                    }, show: { PlainNumber.text(Double($0.modelParameters.mf.learningRateDecay)) }),
            .number("mf.regularization", "MF SGD penalty on the biases and factors of each step", above: 0, inclusive: true,
                    \.modelParameters.mf.regularization),
            .integer("mf.als_iterations", "MF ALS sweeps over users then items", 1...1000, \.modelParameters.mf.alsIterations),
            .number("mf.als_regularization", "MF ALS λ, also the ridge of a user folded in from their ratings", above: 0,
                    \.modelParameters.mf.alsRegularization),
            .number("mf.init_std", "MF factors start from N(0, init_std²)", above: 0, inclusive: true,
                    \.modelParameters.mf.initStd),
            Setting(key: "mf.explicit_types", summary: "event types whose values are explicit ratings: mf fits the latest per user and item",
                    parse: { configuration, text in
                        let types = text.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }
                        guard !types.isEmpty, types.count <= 100, types.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
                            return "a comma-separated list of 1 to 100 event type names"
                        }
                        configuration.modelParameters.mf.explicitTypes = types
                        return nil
                    }, show: { $0.modelParameters.mf.explicitTypes.joined(separator: ",") }),
            .integer("pairmf.factors", "pair MF embedding dimension", 1...1024, \.modelParameters.pairMF.factors),
            .integer("pairmf.epochs", "pair MF epochs (each draws as many positives as there are relation pairs)", 1...10_000,
                     \.modelParameters.pairMF.epochs),
            .number("pairmf.learning_rate", "pair MF SGD step size", above: 0, \.modelParameters.pairMF.learningRate),
            .number("pairmf.regularization", "pair MF L2 penalty", above: 0, inclusive: true, \.modelParameters.pairMF.regularization),
            .integer("pairmf.negatives", "pair MF negative items sampled per related pair", 0...100, \.modelParameters.pairMF.negatives),
            .flag("pairmf.biases", "pair MF learns an item bias: score σ(b_i + b_j + e_i·e_j) (false: σ(e_i·e_j))",
                  \.modelParameters.pairMF.biases),
            .number("markov.smoothing", "markov α: pseudo-transitions per item, spread over next items by popularity", above: 0,
                    \.modelParameters.markov.smoothing),
            .integer("markov.window", "markov: how many of the user's latest items vote for the next one", 1...100,
                     \.modelParameters.markov.window),
            Setting(key: "markov.decay", summary: "markov: weight of each older item in the window relative to the next (0 < d ≤ 1)",
                    parse: { configuration, text in
                        guard let value = Float(text), value > 0, value <= 1 else { return "a number above 0, at most 1" }
                        configuration.modelParameters.markov.decay = value
                        return nil
                    }, show: { PlainNumber.text(Double($0.modelParameters.markov.decay)) }),
            .integer("autoencoder.hidden", "autoencoder width of the first tanh layer", 1...4096, \.modelParameters.autoencoder.hidden),
            .integer("autoencoder.second_hidden", "autoencoder width of a second tanh layer (0: none)", 0...4096,
                     \.modelParameters.autoencoder.secondHidden),
            .integer("autoencoder.epochs", "autoencoder passes over the users", 1...10_000, \.modelParameters.autoencoder.epochs),
            .integer("autoencoder.batch_size", "autoencoder users per mini-batch", 1...65_536, \.modelParameters.autoencoder.batchSize),
            .number("autoencoder.learning_rate", "autoencoder Adam step size", above: 0, \.modelParameters.autoencoder.learningRate),
            Setting(key: "autoencoder.dropout", summary: "autoencoder share of each user's input items dropped in training (0 ≤ p < 1)",
                    parse: { configuration, text in
                        guard let value = Float(text), value >= 0, value < 1 else { return "a number of at least 0, below 1" }
                        configuration.modelParameters.autoencoder.dropout = value
                        return nil
                    }, show: { PlainNumber.text(Double($0.modelParameters.autoencoder.dropout)) }),
            .number("autoencoder.weight_decay", "autoencoder decoupled weight decay (AdamW) on the weights", above: 0, inclusive: true,
                    \.modelParameters.autoencoder.weightDecay),
            .integer("autoencoder.full_softmax_items", "autoencoder trains on the full softmax up to this many items, sampled above (0: always sampled)",
                     0...100_000_000, \.modelParameters.autoencoder.fullSoftmaxItems),
            .integer("autoencoder.negatives", "autoencoder negatives sampled per mini-batch for the sampled softmax", 1...1_000_000,
                     \.modelParameters.autoencoder.negatives),
            .choice("autoencoder.sampling", "autoencoder negatives drawn uniform or by popularity^0.75 (both log-Q corrected)",
                    \.modelParameters.autoencoder.sampling),
            .integer("sequence.hidden", "sequence width of the item embeddings and the GRU's state", 1...1024,
                     \.modelParameters.sequence.hidden),
            .integer("sequence.epochs", "sequence passes over every training window", 1...10_000, \.modelParameters.sequence.epochs),
            .integer("sequence.batch_size", "sequence windows (parallel sequences) per mini-batch", 1...4096,
                     \.modelParameters.sequence.batchSize),
            .integer("sequence.window", "sequence steps of backpropagation through time, and the latest items serving reads",
                     1...1000, \.modelParameters.sequence.window),
            .number("sequence.learning_rate", "sequence Adam step size", above: 0, \.modelParameters.sequence.learningRate),
            .integer("sequence.negatives", "sequence negatives drawn by popularity^0.75 per mini-batch, besides its next items",
                     0...1_000_000, \.modelParameters.sequence.negatives),
            .choice("mlp.objective", "mlp output: ranking (interaction probability; binary cross-entropy with sampled negatives) or "
                    + "rating (predicted rating; squared error on the ratings of mf.explicit_types)", \.modelParameters.mlp.objective),
            .integer("mlp.factors", "mlp width of the user and of the item embedding", 1...1024, \.modelParameters.mlp.factors),
            .integer("mlp.hidden", "mlp width of the first ReLU layer (each further layer is half as wide)", 1...4096,
                     \.modelParameters.mlp.hidden),
            .integer("mlp.layers", "mlp number of ReLU layers", 1...4, \.modelParameters.mlp.layers),
            .integer("mlp.epochs", "mlp passes over the interactions or ratings", 1...10_000, \.modelParameters.mlp.epochs),
            .integer("mlp.batch_size", "mlp observed pairs (with their negatives) or ratings per mini-batch", 1...65_536,
                     \.modelParameters.mlp.batchSize),
            .number("mlp.learning_rate", "mlp Adam step size", above: 0, \.modelParameters.mlp.learningRate),
            .number("mlp.weight_decay", "mlp decoupled weight decay (AdamW) on the embeddings and weights", above: 0, inclusive: true,
                    \.modelParameters.mlp.weightDecay),
            .integer("mlp.negatives", "mlp negative items drawn per observed pair (ranking objective)", 1...100,
                     \.modelParameters.mlp.negatives),
            .flag("popular.binary", "popular counts users (true) or sums weights (false)", \.modelParameters.popular.binary),
            .number("softmax.temperature", "softmax τ: items drawn with probability ∝ count^(1/τ) (1: in proportion to popularity)",
                    above: 0, \.modelParameters.softmax.temperature),
            .integer("softmax.candidates", "softmax draws only from this many most popular items; 0 is every item with events",
                     0...100_000_000, \.modelParameters.softmax.candidates),
        ]
    }

    /// The setting named `key`, if there is one.
    package static func setting(named key: String) -> Setting? {
        settings.first { $0.key == key }
    }
}

/// What one process of a deployment does (`role`).
package enum ServiceRole: String, CaseIterable, Sendable {
    /// Serves the API and trains: the one process of an SQLite deployment.
    case all
    /// Serves the API and never trains; loads the model sets the trainers publish through the database.
    case api
    /// Trains when elected (one trainer of a database at a time) and publishes; serves only the probes and metrics.
    case trainer
}

/// How recommendations that name no model pick one.
package enum ServingModel: String, CaseIterable, Sendable {
    /// The first configured model that is trained.
    case preference
    /// The model that did best on the pass's held-out events.
    case auto
}

/// The models that can answer similar items.
package enum SimilarItemsModel: String, CaseIterable, Sendable {
    case itemknn, als, bpr, content, ease, svd, mf, pairmf, markov, autoencoder, sequence, mlp

    /// The model kind.
    package var kind: ModelKind {
        switch self {
        case .itemknn: .itemknn
        case .als: .als
        case .bpr: .bpr
        case .content: .content
        case .ease: .ease
        case .svd: .svd
        case .mf: .mf
        case .pairmf: .pairmf
        case .markov: .markov
        case .autoencoder: .autoencoder
        case .sequence: .sequence
        case .mlp: .mlp
        }
    }
}
