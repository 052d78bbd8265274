import EventStore
import Foundation
import HTTPServer
import Models
import Observability
import Testing
@testable import Configuration

/// Writes `text` to a fresh temporary file and returns its path.
private func temporaryFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-config-\(UUID().uuidString).yaml").path
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

private func resolve(file: String? = nil, environment: [String: String] = [:],
                     flags: [(key: String, value: String, flag: String)] = []) throws(ConfigurationError) -> ResolvedConfiguration {
    try ConfigurationResolver.resolve(file: file, environment: environment, flags: flags)
}

/// The message of the configuration error `body` throws, or nil when it throws none.
private func configurationError(_ body: () throws(ConfigurationError) -> ResolvedConfiguration) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        guard case .invalid(let message) = error else { return "unexpected \(error)" }
        return message
    }
}

struct ConfigurationResolverTests {
    @Test func appliesDefaultsThenFileThenEnvironmentThenFlags() throws {
        let file = try temporaryFile("""
            port: 9000
            models: als,itemknn
            retrain_interval: 5m
            http:
              max_body_bytes: 1048576
            als:
              factors: 32
              iterations: 4
            softmax:
              temperature: 0.5
              candidates: 200
            """)
        let resolved = try resolve(file: file, environment: ["RECSMITH_PORT": "9001", "RECSMITH_ALS_FACTORS": "48"],
                                   flags: [("port", "9002", "--port")])
        let configuration = resolved.configuration
        #expect(configuration.http.port == 9002)
        #expect(configuration.modelParameters.als.factors == 48)
        #expect(configuration.modelParameters.als.iterations == 4)
        #expect(configuration.modelParameters.softmax == SoftmaxParameters(temperature: 0.5, candidates: 200))
        #expect(configuration.models == [.als, .itemknn])
        #expect(configuration.retrainInterval == .seconds(300))
        #expect(try resolve(flags: [("retrain_interval", "0", "--retrain-interval")]).configuration.retrainInterval == nil)
        #expect(configuration.http.maxBodyBytes == 1_048_576)
        #expect(configuration.http.host == "127.0.0.1")
        #expect(resolved.origins["port"] == "--port")
        #expect(resolved.origins["als.factors"] == "RECSMITH_ALS_FACTORS")
        #expect(resolved.origins["als.iterations"] == file)
        #expect(resolved.origins["host"] == nil)
    }

    @Test func rejectsUnknownKeysNamingTheirSource() throws {
        let file = try temporaryFile("http:\n  max_body_byte: 10\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: file) } == "\(file): unknown key http.max_body_byte")
        let topLevel = try temporaryFile("colour: blue\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: topLevel) } == "\(topLevel): unknown key colour")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(flags: [("als.factorz", "3", "--set")]) }
                == "--set: unknown key als.factorz")
    }

    @Test func rejectsEveryKindOfBadValue() throws {
        let cases: [(key: String, value: String, expected: String)] = [
            ("port", "70000", "a whole number from 0 to 65535"),
            ("port", "eighty", "a whole number from 0 to 65535"),
            ("als.alpha", "0", "a number above 0"),
            ("als.regularization", "-1", "a number of at least 0"),
            ("bpr.learning_rate", "nan", "a number above 0"),
            ("access_log", "yes", "true or false"),
            ("log_level", "loud", "one of trace, debug, info, notice, warning, error, critical"),
            ("log_format", "xml", "one of logfmt, json"),
            ("similar_model", "popular", "one of itemknn, als, bpr, content, ease, svd, mf, pairmf, markov, autoencoder, sequence, mlp"),
            ("synchronous", "off", "full or normal"),
            ("models", "als,magic", "a comma-separated list of als, bpr, itemknn, trending, popular, content, random, softmax, ease, svd, mf, pairmf, markov, autoencoder, sequence, mlp"),
            ("softmax.temperature", "0", "a number above 0"),
            ("mlp.layers", "5", "a whole number from 1 to 4"),
            ("mlp.objective", "regression", "one of ranking, rating"),
            ("mlp.negatives", "0", "a whole number from 1 to 100"),
            ("softmax.candidates", "-1", "a whole number from 0 to 100000000"),
            ("retrain_interval", "soon", "a duration such as 30s, 10m or 1h, or 0"),
            ("http.header_read_timeout", "0", "a duration such as 500ms, 30s, 10m or 1h"),
            ("seed", "-1", "a whole number from 0 to 18446744073709551615"),
            ("db", "", "a non-empty text"),
            ("admin_token_file", "/nonexistent/token", "a readable file holding a non-empty secret"),
            ("tls_cert", "", "a non-empty path"),
            ("http.http2", "on", "true or false"),
            ("http.max_concurrent_streams", "0", "a whole number from 1 to 10000"),
            ("http.max_concurrent_streams", "10001", "a whole number from 1 to 10000"),
        ]
        for entry in cases {
            let message = configurationError { () throws(ConfigurationError) in try resolve(flags: [(entry.key, entry.value, "--set")]) }
            #expect(message == "--set: \(entry.key) must be \(entry.expected), not '\(entry.value)'")
            let variable = try #require(ServiceConfiguration.setting(named: entry.key)).environmentName
            let fromEnvironment = configurationError { () throws(ConfigurationError) in try resolve(environment: [variable: entry.value]) }
            #expect(fromEnvironment == "\(variable): \(entry.key) must be \(entry.expected), not '\(entry.value)'")
        }
    }

    @Test func rejectsMalformedFiles() throws {
        let notYAML = try temporaryFile("port: [1, 2\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: notYAML) }?.hasPrefix("\(notYAML) is not valid YAML") == true)
        let list = try temporaryFile("- port\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: list) }
                == "\(list): the top level must be a mapping of keys to values")
        let nested = try temporaryFile("port:\n  value: 1\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: nested) }
                == "\(nested): port must be a single value, not a list or mapping")
        let section = try temporaryFile("als: 3\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: section) } == "\(section): als must be a mapping of keys to values")
        let missing = "/nonexistent/recsmith.yaml"
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: missing) }?.hasPrefix("cannot read configuration file \(missing)") == true)
        let badWeight = try temporaryFile("event_types:\n  view: -2\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: badWeight) }
                == "\(badWeight): event_types.view must be a positive number or 'value', not '-2'")
    }

    @Test func readsEventTypeWeightsFromTheFile() throws {
        let file = try temporaryFile("event_types:\n  view: 1\n  purchase: 5\n  rating: value\n")
        let weights = try resolve(file: file).configuration.validation.typeWeights
        #expect(weights.rules == ["view": .fixed(1), "purchase": .fixed(5), "rating": .value])
    }

    @Test func takesSecretsDirectlyOrFromFilesButNeverShowsThem() throws {
        let keyFile = try temporaryFile("key-from-file\n")
        let resolved = try resolve(environment: ["RECSMITH_ADMIN_TOKEN": "admin-secret", "RECSMITH_API_KEY_FILE": keyFile])
        #expect(resolved.configuration.adminToken?.matches("admin-secret") == true)
        #expect(resolved.configuration.apiKey?.matches("key-from-file") == true)
        let printed = resolved.yaml()
        #expect(!printed.contains("admin-secret"))
        #expect(!printed.contains("key-from-file"))
        #expect(printed.contains("api_key_file: \(keyFile)"))
        #expect(configurationError { () throws(ConfigurationError) in try resolve(environment: ["RECSMITH_API_KEY": "  "]) }
                == "RECSMITH_API_KEY is empty")
    }

    @Test func warnsAboutUnknownVariablesWithoutFailing() throws {
        let resolved = try resolve(environment: ["RECSMITH_RETRAIN_INTERVL": "1m", "RECSMITH_CONFIG": "x", "HOME": "/root"])
        #expect(resolved.warnings == ["ignoring RECSMITH_RETRAIN_INTERVL: not a configuration key"])
    }

    @Test func setsEASEAndSVDFromTheFileAndRejectsOutOfRangeValues() throws {
        let file = try temporaryFile("models: ease,svd,popular\nease:\n  lambda: 250\n  max_items: 5000\nsvd:\n  factors: 32\n")
        let resolved = try resolve(file: file, flags: [("svd.power_iterations", "4", "--set")])
        let parameters = resolved.configuration.modelParameters
        #expect(resolved.configuration.models == [.ease, .svd, .popular])
        #expect(parameters.ease == EASEParameters(regularization: 250, maxItems: 5000))
        #expect(parameters.svd == SVDParameters(factors: 32, powerIterations: 4, oversamples: 10))
        #expect(configurationError { () throws(ConfigurationError) in try resolve(flags: [("ease.lambda", "0", "--set")]) } != nil)
        #expect(configurationError { () throws(ConfigurationError) in try resolve(flags: [("ease.max_items", "0", "--set")]) } != nil)
        #expect(configurationError { () throws(ConfigurationError) in try resolve(environment: ["RECSMITH_SVD_FACTORS": "0"]) } != nil)
        #expect(try resolve(flags: [("similar_model", "svd", "--set")]).configuration.similarItemsModel == .svd)
    }

    @Test func printedConfigurationReadsBackAsTheSameConfiguration() throws {
        let file = try temporaryFile("host: \"::1\"\nlog_format: json\ntrending:\n  half_life: 36h\nals:\n  regularization: 0.2\n"
                                     + "event_types:\n  like: 2.5\n")
        let first = try resolve(file: file, flags: [("access_log", "true", "--access-log"), ("bpr.epochs", "7", "--set"),
                                                    ("tls_cert", "/etc/recsmith/chain.pem", "--tls-cert"),
                                                    ("tls_key", "/etc/recsmith/key.pem", "--tls-key")])
        let second = try resolve(file: try temporaryFile(first.yaml()))
        let values = { (resolved: ResolvedConfiguration) -> [String] in
            resolved.yaml().split(separator: "\n").map { line in String(line.split(separator: "#").first ?? "") }
        }
        #expect(values(second) == values(first))
        #expect(second.configuration.http.host == "::1")
        #expect(second.configuration.modelParameters.trending.halfLifeSeconds == 36 * 3600)
        #expect(second.configuration.modelParameters.als.regularization == 0.2)
        #expect(second.configuration.accessLog)
        #expect(second.configuration.logFormat == .json)
        #expect(second.configuration.validation.typeWeights.rules == ["like": .fixed(2.5)])
        #expect(second.configuration.http.tls == first.configuration.http.tls)
    }

    @Test func servesHTTPSOnceBothTLSFilesAreGivenFromAnySource() throws {
        #expect(try resolve().configuration.http.tls == nil)
        let file = try temporaryFile("tls_cert: /etc/recsmith/chain.pem\nhttp:\n  http2: false\n  max_concurrent_streams: 250\n")
        let resolved = try resolve(file: file, environment: ["RECSMITH_TLS_KEY": "/etc/recsmith/key.pem"])
        #expect(resolved.configuration.http.tls
                == TLSConfiguration(certificateChainPath: "/etc/recsmith/chain.pem", privateKeyPath: "/etc/recsmith/key.pem"))
        #expect(resolved.origins["tls_cert"] == file)
        #expect(resolved.origins["tls_key"] == "RECSMITH_TLS_KEY")
        #expect(resolved.configuration.http.http2Enabled == false)
        #expect(resolved.configuration.http.maxConcurrentStreams == 250)
        let renamed = try resolve(file: file, environment: ["RECSMITH_TLS_KEY": "/etc/recsmith/key.pem"],
                                  flags: [("tls_cert", "/run/renewed.pem", "--tls-cert")])
        #expect(renamed.configuration.http.tls?.certificateChainPath == "/run/renewed.pem")
        let defaults = try resolve().configuration.http
        #expect(defaults.http2Enabled && defaults.maxConcurrentStreams == 100)
    }

    @Test func refusesOneTLSFileWithoutTheOtherNamingWhereItCameFrom() throws {
        let advice = "HTTPS needs both the certificate chain (--tls-cert) and its private key (--tls-key)"
        #expect(configurationError { () throws(ConfigurationError) in try resolve(flags: [("tls_cert", "/c.pem", "--tls-cert")]) }
                == "--tls-cert: tls_cert is set but tls_key is not; \(advice)")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(environment: ["RECSMITH_TLS_KEY": "/k.pem"]) }
                == "RECSMITH_TLS_KEY: tls_key is set but tls_cert is not; \(advice)")
        let file = try temporaryFile("tls_cert: /c.pem\n")
        #expect(configurationError { () throws(ConfigurationError) in try resolve(file: file) } == "\(file): tls_cert is set but tls_key is not; \(advice)")
    }

    @Test func everySettingHasADistinctVariable() {
        let names = ServiceConfiguration.settings.map(\.environmentName)
        #expect(Set(names).count == names.count)
        #expect(ServiceConfiguration.setting(named: "http.max_body_bytes")?.environmentName == "RECSMITH_HTTP_MAX_BODY_BYTES")
    }
}
