@testable import EventStore
@testable import HTTPServer
import Metrics
import Models
import NearestNeighbors
import Serving
import Testing
@testable import Observability

/// The value of the one sample whose name and labels are exactly `series` (`name{a="b"}`), if present.
private func value(_ series: String, in metrics: ServiceMetrics) -> Double? {
    let text = String(decoding: metrics.exposition(), as: UTF8.self)
    return text.split(separator: "\n").lazy.compactMap { line -> Double? in
        guard let space = line.lastIndex(of: " "), line[..<space] == series else { return nil }
        return Double(line[line.index(after: space)...])
    }.first
}

private func request(_ route: String, status: Int = 200, bytesIn: Int = 0, bytesOut: Int = 0,
                     duration: Duration = .milliseconds(1)) -> RequestRecord {
    RequestRecord(route: route, method: "GET", target: route, remoteAddress: "127.0.0.1", status: status,
                  requestBodyBytes: bytesIn, responseBodyBytes: bytesOut, duration: duration)
}

struct ServiceMetricsTests {
    @Test func handlesMadeThroughTheSwiftMetricsAPIShowInTheExposition() {
        let metrics = ServiceMetrics(version: "test")
        Counter(label: "recsmith_test_total", dimensions: [("kind", "a")], factory: metrics.factory).increment(by: 3)
        Timer(label: "recsmith_test_seconds", factory: metrics.factory).recordMilliseconds(1.5)
        Gauge(label: "recsmith_test_level", factory: metrics.factory).record(7.0)
        #expect(value(#"recsmith_test_total{kind="a"}"#, in: metrics) == 3)
        #expect(value("recsmith_test_seconds_sum", in: metrics) == 0.0015, "timers render nanoseconds as seconds")
        #expect(value(#"recsmith_test_seconds_bucket{le="0.001"}"#, in: metrics) == 0, "timers use the latency buckets")
        #expect(value(#"recsmith_test_seconds_bucket{le="0.002"}"#, in: metrics) == 1)
        #expect(value("recsmith_test_level", in: metrics) == 7)
    }

    @Test func recordingRequestsMovesTheirCountersAndLatencyHistogram() {
        let metrics = ServiceMetrics(version: "test")
        metrics.recordRequest(request("/models", bytesOut: 40, duration: .microseconds(300)))
        metrics.recordRequest(request("/models", bytesOut: 2, duration: .milliseconds(20)))
        metrics.recordRequest(request("/models", status: 404))
        let labels = #"route="/models",method="GET""#
        #expect(value(#"recsmith_http_requests_total{\#(labels),status="200"}"#, in: metrics) == 2)
        #expect(value(#"recsmith_http_requests_total{\#(labels),status="404"}"#, in: metrics) == 1)
        #expect(value("recsmith_http_response_body_bytes_total{\(labels)}", in: metrics) == 42)
        #expect(value("recsmith_http_request_body_bytes_total{\(labels)}", in: metrics) == 0)
        #expect(value("recsmith_http_request_duration_seconds_count{\(labels)}", in: metrics) == 3)
        #expect(value("recsmith_http_request_duration_seconds_sum{\(labels)}", in: metrics) == 0.0213)
        #expect(value(#"recsmith_http_request_duration_seconds_bucket{\#(labels),le="0.0005"}"#, in: metrics) == 1)
        #expect(value(#"recsmith_http_request_duration_seconds_bucket{\#(labels),le="0.025"}"#, in: metrics) == 3)
    }

    @Test func recordsCommitsAsBatchSizeAndSecondsHistograms() {
        let metrics = ServiceMetrics(version: "test")
        metrics.recordCommit(GroupCommit(requests: 2, events: 50, duration: .milliseconds(3), succeeded: true))
        metrics.recordCommit(GroupCommit(requests: 1, events: 9, duration: .seconds(1), succeeded: false))
        #expect(value(#"recsmith_store_commit_events_bucket{le="10.0"}"#, in: metrics) == 0)
        #expect(value(#"recsmith_store_commit_events_bucket{le="100.0"}"#, in: metrics) == 1)
        #expect(value("recsmith_store_commit_events_sum", in: metrics) == 50)
        #expect(value("recsmith_store_commit_duration_seconds_sum", in: metrics) == 0.003)
        #expect(value("recsmith_store_commit_failures_total", in: metrics) == 1)
    }

    @Test func servicesKeepTheirMetricsApart() {
        let first = ServiceMetrics(version: "test"), second = ServiceMetrics(version: "test")
        first.recordRejected(4)
        #expect(value("recsmith_events_rejected_total", in: first) == 4)
        #expect(value("recsmith_events_rejected_total", in: second) == 0)
    }

    @Test func everyFamilyHasItsHelpLineJustBeforeItsType() {
        let metrics = ServiceMetrics(version: "test")
        metrics.recordRequest(request("/healthz"))
        metrics.recordCommit(GroupCommit(requests: 1, events: 1, duration: .milliseconds(1), succeeded: true))
        metrics.recordTrainingPhase("read", seconds: 0.5)
        metrics.recordServed(model: "als", experiment: "", variant: "")
        metrics.recordIndexSearch(model: .als, method: .graph)
        metrics.recordAttributions([Attribution(model: "als", experiment: "", variant: "", type: "click", position: 0)], unattributed: 1)
        let evaluation = HeldOutMetrics(k: 10, ndcg: 0.1, recall: 0.2, coverage: 0.3, users: 2)
        let popular = TrainedModel(model: Popular(userCount: 2, itemScores: [3, 1]), trainingSeconds: 0, users: 2, items: 2, events: 3,
                                   evaluation: evaluation)
        metrics.recordModelSet(ModelSet(pass: 1, trainedAt: 1_700_000_000, models: [popular], defaultModel: .popular),
                               parameters: ModelParameters(), isNewPass: true)
        metrics.gauge("test_level", "count", #"A level \ with a backslash."#) { 1 }
        let lines = String(decoding: metrics.exposition(), as: UTF8.self).split(separator: "\n")
        let types = lines.indices.filter { lines[$0].hasPrefix("# TYPE ") }
        #expect(types.count == ServiceMetrics.Family.all.count + 1)
        for index in types {
            let name = lines[index].split(separator: " ")[2]
            #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(name)")
        }
        #expect(lines.contains(#"# HELP recsmith_test_level_count A level \\ with a backslash."#))
        #expect(lines.contains("# HELP recsmith_http_requests_total HTTP requests answered."))
        #expect(lines.filter { $0.hasPrefix("# HELP ") }.count == types.count)
    }
}
