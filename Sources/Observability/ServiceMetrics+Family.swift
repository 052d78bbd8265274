extension ServiceMetrics {
    /// One exposed metric family: its full Prometheus name, which is also its swift-metrics label, and its
    /// `# HELP` text.
    ///
    /// The swift-metrics API has no place for help text and `PrometheusMetricsFactory` registers every family
    /// without one (the registry then refuses the same name with a text), so `exposition()` writes the HELP
    /// lines itself, each before its family's `# TYPE` line.
    struct Family: Sendable {
        /// The Prometheus name: `recsmith_<metric>_<unit>`.
        let name: String
        /// What the family measures.
        let help: String

        /// A family named `recsmith_<metric>_<unit>`, or `recsmith_<metric>` when `unit` is empty.
        init(_ metric: String, _ unit: String, _ help: String) {
            name = unit.isEmpty ? "recsmith_\(metric)" : "recsmith_\(metric)_\(unit)"
            self.help = help
        }

        /// The `# HELP` line, newline included, with backslash and line feed escaped as the text format asks.
        var helpLine: [UInt8] {
            var line = Array("# HELP \(name) ".utf8)
            for byte in help.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): line += Array(#"\\"#.utf8)
                case UInt8(ascii: "\n"): line += Array(#"\n"#.utf8)
                default: line.append(byte)
                }
            }
            line.append(UInt8(ascii: "\n"))
            return line
        }

        /// `exposition` with `lines[name]` put before each `# TYPE name …` line that has one.
        static func insertingHelp(into exposition: [UInt8], lines: [String: [UInt8]]) -> [UInt8] {
            let typePrefix = Array("# TYPE ".utf8)
            var output: [UInt8] = []
            output.reserveCapacity(exposition.count + lines.values.reduce(0) { $0 + $1.count })
            var start = exposition.startIndex
            while start < exposition.endIndex {
                let end = exposition[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? exposition.endIndex
                let line = exposition[start..<end]
                if line.starts(with: typePrefix) {
                    let nameStart = start + typePrefix.count
                    let nameEnd = exposition[nameStart..<end].firstIndex(of: UInt8(ascii: " ")) ?? end
                    if let help = lines[String(decoding: exposition[nameStart..<nameEnd], as: UTF8.self)] {
                        output += help
                    }
                }
                output += line
                start = end
            }
            return output
        }

        static let httpRequests = Family("http_requests", "total", "HTTP requests answered.")
        static let httpRequestDuration = Family("http_request_duration", "seconds", "Time from parsed request to response.")
        static let httpRequestBodyBytes = Family("http_request_body_bytes", "total", "Request body bytes received.")
        static let httpResponseBodyBytes = Family("http_response_body_bytes", "total", "Response body bytes sent.")
        static let eventsAccepted = Family("events_accepted", "total", "Events stored.")
        static let eventsDuplicate = Family("events_duplicate", "total", "Events not stored because their id was seen before.")
        static let eventsRejected = Family("events_rejected", "total", "Events refused by validation.")
        static let recommendationsServed = Family(
            "recommendations_served", "total", "Ranking answers served, by the model that ranked them and experiment variant.")
        static let eventsAttributed = Family(
            "events_attributed", "total", "Events attributed to a served list, by its model, experiment variant and event type.")
        static let eventsUnattributed = Family(
            "events_unattributed", "total", "Events that named a recommendation_id but were not attributed (unknown, expired or another item).")
        static let indexSearches = Family(
            "index_searches", "total", "Searches of a model's HNSW index, by how they ended: bounded (its longest vectors were provably the answer), graph, exhaustive or fallback (every item scored).")
        static let commitEvents = Family("store_commit_events", "", "Events per group-commit transaction.")
        static let commitDuration = Family("store_commit_duration", "seconds", "Time to write and commit one group-commit transaction.")
        static let commitFailures = Family("store_commit_failures", "total", "Group-commit transactions that failed.")
        static let trainingPasses = Family("training_passes", "total", "Training passes that published models.")
        static let trainingFailures = Family("training_failures", "total", "Training passes that failed.")
        static let trainingPhaseDuration = Family(
            "training_phase_duration", "seconds", "Duration of each phase of the last pass: read, matrix, one per model, persist.")
        static let modelUsers = Family("model_users", "count", "Users known to the model.")
        static let modelItems = Family("model_items", "count", "Items known to the model.")
        static let modelFactors = Family("model_factors", "count", "Latent factors of the model (0 for models without factors).")
        static let modelTrainedAt = Family("model_trained_at", "seconds", "When the serving models were trained, unix seconds.")
        static let modelHeldOutNDCG = Family(
            "model_heldout_ndcg", "ratio", "NDCG@k of the model on the events its pass held out (serving.model = auto).")
        static let modelHeldOutRecall = Family(
            "model_heldout_recall", "ratio", "Recall@k of the model on the events its pass held out (serving.model = auto).")
        static let modelHeldOutCoverage = Family(
            "model_heldout_coverage", "ratio", "Share of the catalogue in the model's held-out lists (serving.model = auto).")
        static let modelDefault = Family("model_default", "", "1 for the model answering requests that name none, else 0.")
        static let processStartTime = Family("process_start_time", "seconds", "Start time of the process, unix seconds.")
        static let buildInfo = Family("build_info", "", "Always 1; the labels name the build.")

        /// Every family above; those made by `gauge(_:_:_:value:)` add their own.
        static let all: [Family] = [
            httpRequests, httpRequestDuration, httpRequestBodyBytes, httpResponseBodyBytes,
            eventsAccepted, eventsDuplicate, eventsRejected, recommendationsServed, eventsAttributed, eventsUnattributed, indexSearches, commitEvents, commitDuration, commitFailures,
            trainingPasses, trainingFailures, trainingPhaseDuration,
            modelUsers, modelItems, modelFactors, modelTrainedAt, modelHeldOutNDCG, modelHeldOutRecall, modelHeldOutCoverage,
            modelDefault, processStartTime, buildInfo,
        ]
    }
}
