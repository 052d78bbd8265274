import Dispatch
import Foundation
import Glibc
import Testing
import TestSupport

/// The command-line tools these tests drive, or nil when not installed.
private enum Tool {
    static let curl = find("curl")
    static let openssl = find("openssl")
    static let available = curl != nil && openssl != nil

    private static func find(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Runs `executable` with `arguments` for at most `timeoutSeconds`.
private func run(_ executable: String, _ arguments: [String], timeoutSeconds: Int = 20) throws -> CommandResult {
    try runCommand(URL(fileURLWithPath: executable), arguments, timeoutSeconds: timeoutSeconds)
}

/// A self-signed certificate for `127.0.0.1` and `localhost` in a temporary directory, made by `openssl req`.
private struct SelfSignedCertificate {
    let directory: URL
    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    var keyPath: String { directory.appendingPathComponent("key.pem").path }
    var serveArguments: [String] { ["--tls-cert", certificatePath, "--tls-key", keyPath] }

    init(commonName: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-tls-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try renew(commonName: commonName)
    }

    /// Writes a new key and certificate over the old files.
    func renew(commonName: String) throws {
        let made = try run(Tool.openssl ?? "/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "1", "-subj", "/CN=\(commonName)",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ])
        guard made.status == 0 else { throw CertificateError.notMade(made.error) }
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

private enum CertificateError: Error {
    case notMade(String)
}

/// One curl transfer: the status (0 when none arrived), the HTTP version, the body and curl's verbose log.
private struct CurlResult {
    let exitCode: Int32
    let status: Int
    let httpVersion: String
    let body: String
    let log: String

    /// The server certificate's subject as curl printed it (`CN=…`).
    var subject: String? {
        log.split(separator: "\n").first { $0.contains(" subject: ") }.map { line in
            String(line[line.range(of: " subject: ")!.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
    }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
}

/// Runs curl against `url` trusting only the certificate in the file `trusting`; every transfer is capped at
/// 10 seconds. A body is sent from a temporary file, so its size is not bounded by the argument list.
private func curl(_ url: String, trusting: String? = nil, method: String = "GET",
                  headers: [String] = [], body: String? = nil, options: [String] = ["--http1.1"]) throws -> CurlResult {
    var arguments = ["-sS", "-v", "--max-time", "10", "-w", "\n%{http_code} %{http_version}"] + options
    if method != "GET" { arguments += ["-X", method] }
    if let trusting { arguments += ["--cacert", trusting] }
    for header in headers { arguments += ["-H", header] }
    let bodyFile = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-body-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: bodyFile) }
    if let body {
        try body.write(to: bodyFile, atomically: false, encoding: .utf8)
        arguments += ["--data-binary", "@" + bodyFile.path]
    }
    let result = try run(Tool.curl ?? "/usr/bin/curl", arguments + [url])
    let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
    let trailer = (lines.last ?? "").split(separator: " ")
    return CurlResult(exitCode: result.status, status: trailer.first.flatMap { Int($0) } ?? 0,
                      httpVersion: trailer.count > 1 ? String(trailer[1]) : "",
                      body: lines.dropLast().joined(separator: "\n"), log: result.error)
}

/// Polls `condition` every 100 ms for up to `seconds`; true once it holds.
private func eventually(seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(100_000)
    }
    return try condition()
}


/// A TLS connection held open by `openssl s_client`, to show that a reload does not drop it.
private final class OpenTLSConnection {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(port: Int, trusting certificatePath: String) throws {
        process.executableURL = URL(fileURLWithPath: Tool.openssl ?? "/usr/bin/openssl")
        process.arguments = ["s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", certificatePath,
                             "-verify_return_error", "-alpn", "http/1.1", "-quiet"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        // A write after s_client has gone must fail with EPIPE, not kill the test runner.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Sends `GET /healthz` on the connection; true when `{"status":"ok"}` comes back within 10 seconds.
    func healthzAnswers() -> Bool {
        guard (try? input.fileHandleForWriting.write(contentsOf: Data("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))) != nil else {
            return false
        }
        let fd = output.fileHandleForReading.fileDescriptor
        var received = [UInt8]()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            var pollfd = Glibc.pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollfd, 1, 100)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else {
                if ready < 0 { return false }
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(fd, &chunk, chunk.count)
            guard count > 0 else { return false }
            received += chunk[0..<count]
            if String(decoding: received, as: UTF8.self).contains(#"{"status":"ok"}"#) { return true }
        }
        return false
    }
}

private let adminHeader = "Authorization: Bearer \(ServerProcess.adminToken)"

@Suite(.serialized, .enabled(if: Tool.available, "needs the curl and openssl commands (apt-get install curl openssl)"))
struct TLSServeTests {
    @Test func servesTheAPIOverHTTPS11WithTheContractsStatuses() throws {
        let certificate = try SelfSignedCertificate(commonName: "recsmith-e2e")
        defer { certificate.remove() }
        let trust = certificate.certificatePath
        let server = try ServerProcess(arguments: certificate.serveArguments + ["--models", "itemknn,popular"])
        defer { server.removeData() }
        #expect(server.scheme == "https")
        let base = "https://127.0.0.1:\(server.port)"
        let get = { (path: String) throws -> CurlResult in try curl(base + path, trusting: trust) }

        let health = try get("/healthz")
        #expect(health.status == 200)
        #expect(health.httpVersion == "1.1")
        #expect(health.log.contains("subject: CN=recsmith-e2e"))
        #expect(try get("/readyz").status == 503)

        let events = (0..<40).map { #"{"user":"u\#($0 % 8)","item":"i\#($0 % 13)"}"# }.joined(separator: "\n")
        let posted = try curl(base + "/events", trusting: trust, method: "POST",
                              headers: ["Content-Type: application/x-ndjson"], body: events)
        #expect(posted.status == 200)
        #expect(posted.json["accepted"] as? Int == 40)

        #expect(try curl(base + "/retrain", trusting: trust, method: "POST").status == 401)
        let retrain = try curl(base + "/retrain", trusting: trust, method: "POST", headers: [adminHeader])
        #expect(retrain.status == 202)
        let job = try #require(retrain.json["job"] as? String)
        #expect(try eventually(seconds: 60) {
            try curl(base + "/retrain/\(job)", trusting: trust, headers: [adminHeader]).json["status"] as? String == "succeeded"
        })

        #expect(try get("/readyz").status == 200)
        let recommendations = try get("/users/u1/recommendations?k=3")
        #expect(recommendations.status == 200)
        #expect(recommendations.json["model"] as? String == "itemknn")
        #expect((recommendations.json["items"] as? [Any])?.isEmpty == false)
        let similar = try get("/items/i1/similar?k=3")
        #expect(similar.status == 200)
        #expect((similar.json["items"] as? [[String: Any]])?.contains { $0["item"] as? String == "i1" } == false)
        #expect(try get("/items/unknown/similar").status == 404)
        let models = try get("/models")
        #expect(models.status == 200)
        #expect((models.json["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["itemknn", "popular"])
        let metrics = try get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("recsmith_http_requests_total"))

        let plaintext = try curl("http://127.0.0.1:\(server.port)/healthz")
        #expect(plaintext.status != 200, "plain HTTP on the TLS port is not answered as a request")
        #expect(try get("/healthz").status == 200)
        #expect(server.terminate() == 0)
    }

    @Test func refusesTLS10And11ButAcceptsTLS12And13() throws {
        let certificate = try SelfSignedCertificate(commonName: "recsmith-e2e")
        defer { certificate.remove() }
        let trust = certificate.certificatePath
        let server = try ServerProcess(arguments: certificate.serveArguments + ["--models", "popular"])
        defer { server.removeData() }
        let url = "https://127.0.0.1:\(server.port)/healthz"
        // The client's own floor is lowered, so a refusal is the server's.
        let legacy = ["--http1.1", "--ciphers", "DEFAULT:@SECLEVEL=0"]
        for (version, maximum) in [("--tlsv1.0", "1.0"), ("--tlsv1.1", "1.1")] {
            let refused = try curl(url, trusting: trust, options: legacy + [version, "--tls-max", maximum])
            #expect(refused.exitCode == 35, "TLS \(maximum): curl exit \(refused.exitCode), \(refused.log.suffix(300))")
            #expect(refused.status == 0)
        }
        let tls12 = try curl(url, trusting: trust, options: legacy + ["--tlsv1.2", "--tls-max", "1.2"])
        #expect(tls12.status == 200)
        #expect(tls12.log.contains("TLSv1.2"))
        let tls13 = try curl(url, trusting: trust, options: ["--http1.1", "--tlsv1.3"])
        #expect(tls13.status == 200)
        #expect(tls13.log.contains("TLSv1.3"))
        #expect(server.terminate() == 0)
    }

    @Test func sighupReloadsTheCertificateForNewConnectionsWhileServing() throws {
        let certificate = try SelfSignedCertificate(commonName: "recsmith-before")
        defer { certificate.remove() }
        let trust = certificate.certificatePath
        let server = try ServerProcess(arguments: certificate.serveArguments + ["--models", "popular", "--log-level", "info"])
        defer { server.removeData() }
        let url = "https://127.0.0.1:\(server.port)/healthz"
        #expect(try curl(url, trusting: trust).subject == "CN=recsmith-before")
        let held = try OpenTLSConnection(port: server.port, trusting: trust)
        #expect(held.healthzAnswers())

        try certificate.renew(commonName: "recsmith-after")
        kill(server.process.processIdentifier, SIGHUP)
        #expect(try eventually { try curl(url, trusting: trust).subject == "CN=recsmith-after" })
        #expect(held.healthzAnswers(), "a connection opened before the reload keeps being served")
        #expect(eventually { server.log.contains(#"msg="reloaded the TLS certificate""#) })

        let trusted = certificate.directory.appendingPathComponent("trusted.pem").path
        try FileManager.default.copyItem(atPath: certificate.certificatePath, toPath: trusted)
        try "not a certificate\n".write(toFile: certificate.certificatePath, atomically: false, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        #expect(eventually { server.log.contains("TLS certificate reload failed") })
        let afterFailure = try curl(url, trusting: trusted)
        #expect(afterFailure.status == 200)
        #expect(afterFailure.subject == "CN=recsmith-after", "a failed reload keeps the certificate in use")

        let text = server.log
        #expect(text.contains(certificate.certificatePath), "the failure names the file")
        let keyBody = try String(contentsOfFile: certificate.keyPath, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("-----") }
        #expect(!text.contains("PRIVATE KEY"))
        for line in keyBody { #expect(!text.contains(line), "no key material in the log") }
        #expect(server.terminate() == 0)
    }

    @Test func refusesToStartWithAMissingOrInvalidTLSFileNamingIt() throws {
        let certificate = try SelfSignedCertificate(commonName: "recsmith-e2e")
        defer { certificate.remove() }
        let other = try SelfSignedCertificate(commonName: "recsmith-other")
        defer { other.remove() }
        let garbage = certificate.directory.appendingPathComponent("garbage.pem").path
        try "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".write(toFile: garbage, atomically: false, encoding: .utf8)
        let missingKey = certificate.directory.appendingPathComponent("missing-key.pem").path
        let cases: [(certificate: String, key: String, message: String)] = [
            (certificate.certificatePath, missingKey, "cannot load the TLS private key \(missingKey)"),
            (garbage, certificate.keyPath, "cannot load the TLS certificate chain \(garbage)"),
            (certificate.certificatePath, other.keyPath, "cannot load the TLS private key \(other.keyPath)"),
        ]
        let store = certificate.directory.appendingPathComponent("store.sqlite").path
        for entry in cases {
            let result = try run(ServerProcess.binary.path, [
                "serve", "--port", "0", "--db", store,
                "--retrain-interval", "0", "--tls-cert", entry.certificate, "--tls-key", entry.key,
            ], timeoutSeconds: 30)
            #expect(result.status == 1, "exits with an error, not a crash or a hang: \(result.status)")
            #expect(result.error.contains(entry.message), "\(result.error)")
            #expect(!result.output.contains("listening"))
        }
        #expect(!FileManager.default.fileExists(atPath: store), "checked before the store is made")
        #expect(!FileManager.default.fileExists(atPath: certificate.directory.appendingPathComponent("admin-token").path))
        let halfConfigured = try run(ServerProcess.binary.path, [
            "serve", "--port", "0", "--db", certificate.directory.appendingPathComponent("half.sqlite").path,
            "--tls-cert", certificate.certificatePath,
        ], timeoutSeconds: 30)
        #expect(halfConfigured.status == 1)
        #expect(halfConfigured.error.contains("--tls-cert: tls_cert is set but tls_key is not"), "\(halfConfigured.error)")
        #expect(!FileManager.default.fileExists(atPath: certificate.directory.appendingPathComponent("half.sqlite").path))
    }

    @Test func plainServerIgnoresSIGHUPAndKeepsServing() throws {
        let server = try ServerProcess(arguments: ["--models", "popular", "--log-level", "info"])
        defer { server.removeData() }
        #expect(server.scheme == "http")
        kill(server.process.processIdentifier, SIGHUP)
        #expect(eventually { server.log.contains("SIGHUP ignored: TLS is off") })
        #expect(server.process.isRunning)
        #expect(try server.client().request("GET", "/healthz")?.status == 200)
        #expect(server.terminate() == 0)
    }

    /// HTTP/2 end to end: `h2` through ALPN (a large body, twenty multiplexed streams), h2c with prior knowledge on
    /// the plain port, and `http.http2=false` falling back to HTTP/1.1.
    @Test func servesHTTP2OverTLSAndCleartextH2CWithPriorKnowledge() throws {
        let certificate = try SelfSignedCertificate(commonName: "recsmith-e2e")
        defer { certificate.remove() }
        let trust = certificate.certificatePath
        let tls = try ServerProcess(arguments: certificate.serveArguments + ["--models", "itemknn,popular"])
        defer { tls.removeData() }
        let base = "https://127.0.0.1:\(tls.port)"
        let health = try curl(base + "/healthz", trusting: trust, options: ["--http2"])
        #expect(health.status == 200)
        #expect(health.httpVersion == "2")
        #expect(health.log.contains("ALPN: server accepted h2"))
        // 10,000 events (~370 kB): more than one flow-control window.
        let events = (0..<10_000).map { #"{"user":"u\#($0 % 50)","item":"i\#($0 % 97)"}"# }.joined(separator: "\n")
        let posted = try curl(base + "/events", trusting: trust, method: "POST",
                              headers: ["Content-Type: application/x-ndjson"], body: events, options: ["--http2"])
        #expect(posted.status == 200)
        #expect(posted.json["accepted"] as? Int == 10_000)
        let retrain = try curl(base + "/retrain", trusting: trust, method: "POST", headers: [adminHeader], options: ["--http2"])
        #expect(retrain.status == 202)
        for path in ["/readyz", "/users/u1/recommendations?k=3", "/items/i1/similar?k=3", "/models", "/metrics"] {
            #expect(try eventually {
                let answer = try curl(base + path, trusting: trust, options: ["--http2"])
                return answer.status == 200 && answer.httpVersion == "2"
            }, "\(path) over h2")
        }
        let job = try #require(retrain.json["job"] as? String)
        let status = try curl(base + "/retrain/\(job)", trusting: trust, headers: [adminHeader], options: ["--http2"])
        #expect(status.status == 200 && status.httpVersion == "2")
        #expect(try curl(base + "/retrain/\(job)", trusting: trust, options: ["--http2"]).status == 401)
        #expect(try curl(base + "/items/no-such-item/similar", trusting: trust, options: ["--http2"]).status == 404)
        // Twenty streams multiplexed on one connection (curl waits for the first to learn it can multiplex).
        var parallelArguments = ["-sS", "--max-time", "10", "--http2", "--parallel", "--cacert", trust,
                                 "-w", "%{http_code} %{http_version} %{num_connects}\n"]
        for _ in 0..<20 { parallelArguments += ["-o", "/dev/null", base + "/users/u2/recommendations?k=5"] }
        let answers = try run(Tool.curl ?? "/usr/bin/curl", parallelArguments).output.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(answers.count == 20)
        #expect(answers.allSatisfy { $0.count == 3 && $0[0] == "200" && $0[1] == "2" }, "\(answers)")
        #expect(answers.compactMap { $0.count == 3 ? Int($0[2]) : nil }.reduce(0, +) == 1, "one connection for all streams")
        #expect(tls.terminate() == 0)

        let plain = try ServerProcess(arguments: ["--models", "popular", "--set", "http.max_concurrent_streams=8"])
        defer { plain.removeData() }
        let h2c = try curl("http://127.0.0.1:\(plain.port)/healthz", options: ["--http2-prior-knowledge"])
        #expect(h2c.status == 200)
        #expect(h2c.httpVersion == "2")
        #expect(try curl("http://127.0.0.1:\(plain.port)/healthz").httpVersion == "1.1")
        #expect(plain.terminate() == 0)

        let disabled = try ServerProcess(arguments: certificate.serveArguments + ["--models", "popular", "--set", "http.http2=false"])
        defer { disabled.removeData() }
        let fallback = try curl("https://127.0.0.1:\(disabled.port)/healthz", trusting: trust, options: ["--http2"])
        #expect(fallback.status == 200)
        #expect(fallback.httpVersion == "1.1", "with http.http2=false ALPN picks http/1.1")
        #expect(disabled.terminate() == 0)
    }
}
