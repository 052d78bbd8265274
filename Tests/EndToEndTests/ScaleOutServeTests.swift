import Dispatch
import Foundation
import Glibc
import Locking
import Synchronization
import SyntheticData
import Testing
import TestSupport

/// `--role` on PostgreSQL: API replicas and trainers as separate processes on one database — one elected trainer,
/// its model sets reaching every replica through the database, a standby taking over after a kill -9.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct ScaleOutServeTests {
    private static let admin = [("Authorization", "Bearer \(ServerProcess.adminToken)")]

    /// The version of the model set a replica serves, if any.
    private static func servedVersion(_ client: TestClient) -> String? {
        let models = json(client.request("GET", "/models"))["models"] as? [[String: Any]]
        return models?.first?["version"] as? String
    }

    private static func isLeader(_ client: TestClient) -> Bool {
        json(client.request("GET", "/readyz"))["leader"] as? Bool == true
    }

    private static func postEvents(_ client: TestClient, count: Int, seed: UInt64) -> Int? {
        let events = SyntheticEvents(userCount: 60, itemCount: 150, eventCount: count, seed: seed).events()
        var body = ""
        for (index, event) in events.enumerated() {
            body += #"{"user":"u\#(event.user)","item":"i\#(event.item)","timestamp":\#(Int(event.timestamp)),"id":"s\#(seed)-\#(index)"}"# + "\n"
        }
        let response = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8))
        return json(response)["accepted"] as? Int
    }

    @Test func oneTrainerTrainsItsSetsReachBothReplicasAndAStandbyTakesOverAfterKill9() throws {
        let database = try PostgresTestDatabase()
        let trainerA = try ServerProcess(arguments: ["--store", database.url, "--role", "trainer"])
        let trainerB = try ServerProcess(arguments: ["--store", database.url, "--role", "trainer"])
        let replicaA = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        let replicaB = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        defer { for server in [trainerA, trainerB, replicaA, replicaB] { server.removeData() } }
        let trainers = [(trainerA, try trainerA.client()), (trainerB, try trainerB.client())]
        let (clientA, clientB) = (try replicaA.client(), try replicaB.client())

        // Exactly one trainer leads; a trainer serves only the probes, the metrics and its passes.
        #expect(waitUntil(upTo: .seconds(10)) { trainers.filter { Self.isLeader($0.1) }.count == 1 })
        #expect(trainers[0].1.request("GET", "/users/u1/recommendations")?.status == 404)
        let retrainOnReplica = clientA.request("POST", "/retrain", headers: Self.admin)
        #expect(retrainOnReplica?.status == 409 && (json(retrainOnReplica)["error"] as? [String: Any])?["code"] as? String == "not_a_trainer")

        // The first events start the leader's first pass; its set reaches both replicas.
        #expect(Self.postEvents(clientA, count: 2000, seed: 1) == 2000)
        #expect(waitUntil(upTo: .seconds(60)) { Self.servedVersion(clientA) != nil && Self.servedVersion(clientB) != nil },
                "both replicas load the first pass's set")
        #expect(Self.servedVersion(clientA) == Self.servedVersion(clientB))
        #expect(json(clientA.request("GET", "/readyz"))["role"] as? String == "api")

        // A retrain on the leader reaches both replicas within 5 s of its end.
        let leader = try #require(trainers.first { Self.isLeader($0.1) })
        let standby = try #require(trainers.first { $0.0 !== leader.0 })
        #expect(Self.postEvents(clientB, count: 500, seed: 2) == 500)
        let before = Self.servedVersion(clientA)
        #expect(leader.0.retrainAndWait(leader.1) == "succeeded")
        #expect(waitUntil(upTo: .seconds(5)) {
            let (a, b) = (Self.servedVersion(clientA), Self.servedVersion(clientB))
            return a != before && a == b
        }, "the new set reaches both replicas within 5 s")
        let answer = clientB.request("GET", "/users/u1/recommendations?k=5")
        #expect(answer?.status == 200 && itemIDs(answer).count == 5)

        // The standby does not train while the leader lives; after a kill -9 it takes over within 10 s.
        let skipped = json(standby.1.request("POST", "/retrain", headers: Self.admin))
        #expect(skipped["status"] as? String == "skipped")
        // The id it gave out answers that same job, as any finished pass's does.
        let jobID = try #require(skipped["job"] as? String)
        let asked = standby.1.request("GET", "/retrain/\(jobID)", headers: Self.admin)
        #expect(asked?.status == 200)
        #expect(json(asked)["status"] as? String == "skipped")
        #expect(json(asked)["error"] as? String == "standby: another trainer is active")
        leader.0.kill9()
        #expect(waitUntil(upTo: .seconds(10)) { Self.isLeader(standby.1) }, "the standby is elected within 10 s")
        let last = Self.servedVersion(clientA)
        #expect(standby.0.retrainAndWait(standby.1) == "succeeded")
        #expect(waitUntil(upTo: .seconds(5)) {
            let (a, b) = (Self.servedVersion(clientA), Self.servedVersion(clientB))
            return a != last && a == b
        }, "the new leader's set reaches both replicas")
        #expect(try database.execute("SELECT count(*) FROM snapshots") == [["2"]], "older versions are pruned")
    }

    @Test func killingOneReplicaUnderLoadLeavesTheOtherAnswering() throws {
        let database = try PostgresTestDatabase()
        let trainer = try ServerProcess(arguments: ["--store", database.url, "--role", "trainer"])
        let doomed = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        let survivor = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        defer { for server in [trainer, doomed, survivor] { server.removeData() } }
        #expect(Self.postEvents(try survivor.client(), count: 1500, seed: 4) == 1500)
        #expect(waitUntil(upTo: .seconds(60)) { Self.servedVersion(try! survivor.client()) != nil })

        // A bounded load loop on both replicas: the doomed one is killed once it has answered 100 requests; the
        // survivor's loop goes on until 200 requests after the kill.
        let answered = Lock<(survivor: [Int], doomed: Int, killed: Bool)>(([], 0, false))
        let loops = DispatchGroup()
        for (isSurvivor, port) in [(true, survivor.port), (false, doomed.port)] {
            DispatchQueue.global().async(group: loops) {
                guard let client = try? TestClient(port: port, timeoutSeconds: 10) else { return }
                var afterKill = 0
                for request in 0..<100_000 {
                    let status = client.request("GET", "/users/u\(request % 60)/recommendations?k=5")?.status ?? 0
                    let killed = answered.withLock { state -> Bool in
                        if isSurvivor { state.survivor.append(status) } else if status == 200 { state.doomed += 1 }
                        return state.killed
                    }
                    if !isSurvivor && status != 200 { return }
                    if isSurvivor && killed { afterKill += 1 }
                    if afterKill == 200 { return }
                }
            }
        }
        #expect(waitUntil(upTo: .seconds(30)) { answered.withLock { $0.doomed } >= 100 })
        doomed.kill9()
        answered.withLock { $0.killed = true }
        loops.wait()
        let statuses = answered.withLock { $0.survivor }
        #expect(statuses.count >= 200 && statuses.allSatisfy { $0 == 200 }, "the survivor answered every request: \(Set(statuses))")
    }

    @Test func aReplicaStartingLaterLoadsTheNewestSetFromTheDatabase() throws {
        let database = try PostgresTestDatabase()
        let all = try ServerProcess(arguments: ["--store", database.url])
        defer { all.removeData() }
        let client = try all.client()
        #expect(Self.postEvents(client, count: 1500, seed: 3) == 1500)
        #expect(waitUntil(upTo: .seconds(60)) { Self.servedVersion(client) != nil })
        let replica = try ServerProcess(arguments: ["--store", database.url, "--role", "api"])
        defer { replica.removeData() }
        #expect(Self.servedVersion(try replica.client()) == Self.servedVersion(client), "loaded at start, before the first request")
    }
}

/// PostgreSQL going away and coming back, on a cluster of the test's own.
@Suite(.serialized, .enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresOutageServeTests {
    /// A PostgreSQL cluster of the test's own (the shared one serves the tests running beside it), made and
    /// controlled by the cluster script `RECSMITH_TEST_POSTGRES_CLUSTER` names; removed when the value goes away.
    private final class PrivateCluster {
        let script: String
        let directory: String
        let url: String

        init() throws {
            script = try #require(ProcessInfo.processInfo.environment["RECSMITH_TEST_POSTGRES_CLUSTER"],
                                  "run under scripts/postgres-test-cluster.sh run, which exports it")
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-cluster-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: output) }
            try Self.shell("'\(script)' start > '\(output)'")
            directory = try String(contentsOfFile: output, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let port = try String(contentsOfFile: directory + "/port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            url = "postgresql://recsmith@127.0.0.1:\(port)/recsmith"
        }

        deinit { try? Self.shell("'\(script)' stop '\(directory)'") }

        /// `pg_ctl stop -m fast` (clients are disconnected) or `start` again, the data kept.
        func server(_ action: String) throws { try Self.shell("'\(script)' ctl '\(directory)' \(action)") }

        /// Runs `command` with `/bin/sh` and waits for it; through `posix_spawn` and `waitpid`, not `Process`,
        /// whose `waitUntilExit` was seen never to return after `pg_ctl start` left its daemon behind.
        private static func shell(_ command: String) throws {
            let arguments = ["/bin/sh", "-c", command]
            var pointers = arguments.map { strdup($0) } + [nil]
            defer { for pointer in pointers { free(pointer) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, "/bin/sh", nil, nil, &pointers, environ) == 0 else { throw ClusterError.failed(command) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            guard status == 0 else { throw ClusterError.failed(command) }
        }

        enum ClusterError: Error { case failed(String) }
    }

    private static func post(_ client: TestClient, id: String, user: String = "load", item: String) -> TestResponse? {
        let body = #"{"user":"\#(user)","item":"\#(item)","id":"\#(id)"}"#
        return client.request("POST", "/events", headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }

    private static let admin = [("Authorization", "Bearer \(ServerProcess.adminToken)")]
    private static let experiment = #"[{name: shop, variants: [{name: control, model: popular, weight: 50}, {name: personal, model: als, weight: 50}]}]"#

    /// Every GET route of openapi.yaml a replica (role `api` or `all`) serves, with the status it must give while
    /// PostgreSQL is unreachable: what the process holds in memory answers as usual; the dashboard's figures that
    /// are read from the database at request time get `503 store_unavailable` with `Retry-After`.
    private static let outageStatuses: [(path: String, status: Int)] = [
        ("/users/u1/recommendations?k=5", 200), ("/users/u1/items/i1/rating", 200), ("/items/i1/similar?k=5", 200),
        ("/items", 200), ("/items/i1", 200), ("/items/i1/relations", 200), ("/users/u1", 200), ("/models", 200),
        ("/healthz", 200), ("/readyz", 200), ("/metrics", 200), ("/docs", 200), ("/docs/docs.css", 200),
        ("/dashboard", 200), ("/dashboard/dashboard.js", 200), ("/dashboard/dashboard.css", 200),
        ("/dashboard/report.css", 200), ("/dashboard/icon.svg", 200), ("/favicon.ico", 200),
        ("/admin/models", 200), ("/admin/catalogue", 200), ("/admin/evaluation", 200), ("/admin/experiments", 200),
        ("/admin/overview", 503), ("/admin/users/u1", 503), ("/admin/items/i1", 503), ("/admin/metrics/online", 503),
        ("/admin/experiments/shop", 503),
    ]

    @Test func readsAnswerWritesGet503AndNothingAcknowledgedIsLostAcrossAnOutage() throws {
        let cluster = try PrivateCluster()
        let routes = ["--models", "als,popular,mf", "--set", "experiments=\(Self.experiment)"]
        let a = try ServerProcess(arguments: ["--store", cluster.url] + routes)
        let b = try ServerProcess(arguments: ["--store", cluster.url, "--role", "api"] + routes)
        defer { a.removeData(); b.removeData() }
        let clients = [try a.client(), try b.client()]
        let events = SyntheticEvents(userCount: 50, itemCount: 120, eventCount: 1500, seed: 9).events()
        // Ratings too, so that mf trains and the rating route has a model to answer from.
        let body = events.enumerated().map { index, event in
            index % 3 == 0
                ? #"{"user":"u\#(event.user)","item":"i\#(event.item)","type":"rating","value":\#(1 + index % 5),"id":"seed-\#(index)"}"#
                : #"{"user":"u\#(event.user)","item":"i\#(event.item)","id":"seed-\#(index)"}"#
        }.joined(separator: "\n")
        #expect(json(clients[0].request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")], body: Array(body.utf8)))["accepted"] as? Int == 1500)
        #expect(waitUntil(upTo: .seconds(60)) {
            clients.allSatisfy { (json($0.request("GET", "/models"))["models"] as? [Any])?.count == 3 }
        }, "both serve a model set with every model before the outage")
        let pass = finishedRetrain(clients[0])
        #expect(pass["status"] as? String == "succeeded")
        // Before the outage every route answers 200.
        for client in clients {
            for route in Self.outageStatuses {
                #expect(client.request("GET", route.path, headers: Self.admin)?.status == 200, "\(route.path) before the outage")
            }
        }

        // Writers on both replicas count what was acknowledged, through the outage and after it.
        let acknowledged = Lock<Set<String>>([])
        let stop = Atomic<Bool>(false)
        let writers = DispatchGroup()
        for (number, port) in [a.port, b.port].enumerated() {
            DispatchQueue.global().async(group: writers) {
                guard let own = try? TestClient(port: port, timeoutSeconds: 30) else { return }
                var sent = 0
                while !stop.load(ordering: .acquiring) && sent < 20_000 {
                    let id = "load-\(number)-\(sent)"
                    if Self.post(own, id: id, item: "i\(sent % 120)")?.status == 200 { acknowledged.withLock { _ = $0.insert(id) } }
                    sent += 1
                    usleep(5_000)
                }
            }
        }
        #expect(waitUntil(upTo: .seconds(5)) { acknowledged.withLock { $0.count } >= 20 })

        try cluster.server("stop")
        #expect(waitUntil(upTo: .seconds(5)) {
            clients.allSatisfy { json($0.request("GET", "/readyz"))["status"] as? String == "degraded" }
        }, "both say degraded")
        for client in clients {
            let answer = client.request("GET", "/users/u1/recommendations?k=5")
            #expect(answer?.status == 200 && itemIDs(answer).count == 5, "reads answer from memory")
            for route in Self.outageStatuses {
                let started = ContinuousClock.now
                let response = client.request("GET", route.path, headers: Self.admin)
                #expect(response?.status == route.status, "\(route.path) during the outage: \(response.map { String(decoding: $0.body, as: UTF8.self) } ?? "no answer")")
                #expect(ContinuousClock.now - started < .seconds(2), "\(route.path) answers at once, without waiting on the database")
                guard route.status == 503 else { continue }
                #expect(response?.header("retry-after") != nil)
                let error = json(response)["error"] as? [String: Any]
                #expect(error?["code"] as? String == "store_unavailable")
                #expect((error?["message"] as? String)?.contains("unreachable") == true, "the dashboard shows why")
            }
            let refused = Self.post(client, id: "during-outage", item: "i1")
            #expect(refused?.status == 503 && refused?.header("retry-after") != nil)
            #expect((json(refused)["error"] as? [String: Any])?["code"] as? String == "store_unavailable")
        }
        if HeadlessBrowser.shouldRun {
            // The page itself comes from the binary: it loads, signs in and says why its overview is missing.
            let signIn = """
                document.getElementById('token').value = '\(ServerProcess.adminToken)';
                document.getElementById('login-form').requestSubmit(); true
                """
            let output = try HeadlessBrowser.outputDirectory(for: "PostgresOutageServeTests")
            let page = try HeadlessBrowser().load(
                URL(string: "\(a.url)/dashboard#overview")!, screenshot: output.appendingPathComponent("dashboard-outage.png"),
                evaluating: ["state": "document.body.dataset.state", "status": "document.getElementById('status').textContent"],
                running: signIn, waitFor: "document.body.dataset.state === 'error'")
            #expect(try page.value("state", as: String.self) == "error")
            #expect(try page.value("status", as: String.self).contains("store_unavailable: the store is unreachable"))
        }
        // A's passes are in its memory: their route answers as before (B, role api, never trains).
        let job = try #require(pass["job"] as? String)
        #expect(clients[0].request("GET", "/retrain/\(job)", headers: Self.admin)?.status == 200)

        try cluster.server("start")
        #expect(waitUntil(upTo: .seconds(20)) {
            clients.allSatisfy { json($0.request("GET", "/readyz"))["status"] as? String == "ready" }
        }, "both recover")
        let before = acknowledged.withLock { $0.count }
        #expect(waitUntil(upTo: .seconds(10)) { acknowledged.withLock { $0.count } > before + 20 }, "writes succeed again")
        stop.store(true, ordering: .releasing)
        writers.wait()

        // Every acknowledged event is stored, and the feed resumed: B excludes what A accepts after the outage.
        let stored = Set(try PostgresTestDatabase.query(cluster.url, "SELECT external_id FROM events WHERE external_id LIKE 'load-%'")
            .compactMap { $0[0] })
        let acked = acknowledged.withLock { $0 }
        #expect(acked.isSubset(of: stored), "\(acked.subtracting(stored).count) acknowledged events are missing")
        let top = try #require(itemIDs(clients[1].request("GET", "/users/u2/recommendations?k=1&model=popular")).first)
        #expect(Self.post(clients[0], id: "after-outage", user: "u2", item: top)?.status == 200)
        #expect(waitUntil(upTo: .seconds(1)) {
            !itemIDs(clients[1].request("GET", "/users/u2/recommendations?k=5&model=popular")).contains(top)
        }, "replica B applies A's events again within a second")
    }
}

/// Roles that split the work need the shared store.
@Suite(EndToEndStore.sqliteOnly("it proves the refusal on an SQLite store"))
struct RoleServeTests {
    @Test(arguments: ["api", "trainer"])
    func refusesASplitRoleOnSQLite(role: String) throws {
        do {
            let server = try ServerProcess(arguments: ["--role", role])
            server.removeData()
            Issue.record("serve --role \(role) started on an SQLite store")
        } catch ServerProcessError.exitedBeforeListening(let log) {
            #expect(log.contains("role \(role) needs a PostgreSQL store"), "\(log)")
        }
    }
}

/// Polls `condition` every 50 ms until it holds or `deadline` passes; true when it held.
private func waitUntil(upTo deadline: Duration, _ condition: () -> Bool) -> Bool {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}
