// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Recsmith",
    products: [
        .executable(name: "recsmith", targets: ["recsmith"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries, through system-library shims only.
        .systemLibrary(name: "CLinux"),
        // Compiler builtins (a prefetch hint), as static inline functions in a header: nothing to link.
        .systemLibrary(name: "CBuiltins"),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CNGHTTP2",
            pkgConfig: "libnghttp2",
            providers: [.apt(["libnghttp2-dev"])]
        ),

        // Libraries, one job each (see docs/ARCHITECTURE.md).
        // Locks ThreadSanitizer can see (pthread), for every target that shares state between threads.
        .target(name: "Locking"),
        // JSON values: a parser with byte offsets in its errors, a value tree, and the response path's writer.
        .target(name: "JSON"),
        // Release builds keep Swift's dynamic exclusivity checks here too: -enforce-exclusivity=unchecked saved
        // 2.6k of 68k instructions per cached recommendation (callgrind, 3.8%) but no requests/s or CPU time that
        // wrk on loopback could tell from noise (2026-12-04), so a reentrancy bug in the connection still traps.
        .target(name: "HTTPServer", dependencies: ["CLinux", "COpenSSL", "CNGHTTP2", "JSON", "Locking"]),
        .target(name: "EventFormats"),
        .target(name: "EventStore", dependencies: ["CSQLite", "EventFormats", "Locking"]),
        // The EventStore protocol on PostgreSQL through libpq: connections, a pool, COPY, the change feed.
        .target(name: "PostgresStore", dependencies: ["CLibPQ", "EventStore", "EventFormats", "Locking"]),
        .target(name: "LinearAlgebra", dependencies: ["COpenBLAS"]),
        // Our own small neural layers on BLAS: dense, activations, softmax losses, embeddings, GRU, Adam.
        .target(name: "NeuralLayers", dependencies: ["LinearAlgebra"]),
        .target(name: "Models", dependencies: ["Hashing", "LinearAlgebra", "NeuralLayers"]),
        // HNSW approximate nearest neighbours over float32 vectors (inner product, cosine), saved as a mappable file.
        .target(name: "NearestNeighbors", dependencies: ["CBuiltins", "Hashing", "LinearAlgebra", "Locking"]),
        // Item and user records: validation, JSON, merge patch, the columns filters read, visibility.
        .target(name: "Catalogue", dependencies: ["EventFormats", "Filtering", "JSON", "LinearAlgebra", "Locking"]),
        .target(name: "SyntheticData", dependencies: ["LinearAlgebra"]),
        // GET /docs: the API reference rendered from openapi.yaml, which the EmbedFiles plugin builds in.
        .target(
            name: "APIReference", dependencies: ["JSON", "Markup", .product(name: "Yams", package: "Yams")],
            exclude: ["docs.css", "embedded-files"], plugins: ["EmbedFiles"]),
        .executableTarget(name: "embed-files"),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["embed-files"]),
        // The filter expression language: parser with positions in errors, evaluation to item bitsets.
        .target(name: "Filtering", dependencies: ["LinearAlgebra", "EventFormats"]),
        // Statistics of the online loop: Wilson and Newcombe intervals, the always-valid mSPRT p-value.
        .target(name: "OnlineStatistics"),
        .target(name: "Evaluation", dependencies: ["Models", "LinearAlgebra", "EventFormats", "Hashing", "JSON", "COpenSSL"]),
        // EVALUATION.md §9's h64 (the splits' and the experiments' stable hash) and the files' checksum.
        .target(name: "Hashing", dependencies: ["COpenSSL"]),
        // The online loop: recommendation ids, the served-list log, experiments and their assignment.
        .target(
            name: "OnlineLoop", dependencies: ["EventFormats", "EventStore", "Filtering", "Hashing", "Locking", "Models", "OnlineStatistics"]),
        // evaluate --replay: the store's attributed events against candidates fitted on what was known before each day.
        .target(name: "Replay", dependencies: ["Evaluation", "EventFormats", "EventStore", "JSON", "Models"]),
        // Escaping for HTML and SVG, shared by everything that writes markup.
        .target(name: "Markup"),
        // SVG charts and the self-contained HTML evaluation report.
        .target(name: "Reports", dependencies: ["Evaluation", "JSON", "Markup", "Models"]),
        // Answers from the current model set and the live store: fallbacks, fold-ins, the model registry.
        .target(
            name: "Serving",
            dependencies: ["Catalogue", "EventStore", "Filtering", "JSON", "LinearAlgebra", "Models", "Locking", "NearestNeighbors"]),
        // Training passes: snapshot of the store, fits, publication, persistence, schedule.
        .target(
            name: "Training",
            dependencies: [
                "Serving", "EventStore", "Evaluation", "Models", "LinearAlgebra", "Locking", "NearestNeighbors",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Metrics families and the log line format.
        .target(
            name: "Observability",
            dependencies: [
                "Serving", "EventStore", "HTTPServer", "JSON", "Models", "Locking", "NearestNeighbors",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The settings table and where values come from: file, environment, flags, secrets.
        .target(
            name: "Configuration",
            dependencies: [
                "Catalogue", "EventFormats", "Filtering", "NearestNeighbors", "Observability", "OnlineLoop", "HTTPServer", "EventStore", "Models",
                "PostgresStore", "Training",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // GET /dashboard and the admin JSON under /admin/…; its page, script and styles are embedded at build time.
        .target(
            name: "Dashboard",
            dependencies: [
                "Catalogue", "EventStore", "Evaluation", "EventFormats", "Filtering", "HTTPServer", "JSON", "Locking", "Models",
                "Observability", "OnlineLoop", "OnlineStatistics", "Reports", "Serving", "Training",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Assets", "embedded-files"], plugins: ["EmbedFiles"]),
        // The HTTP API and the process's lifecycle.
        .target(
            name: "Service",
            dependencies: [
                "APIReference", "Catalogue", "Dashboard", "Configuration", "Observability", "OnlineLoop", "Serving", "Training", "HTTPServer", "EventStore",
                "EventFormats", "Filtering", "JSON", "LinearAlgebra", "Models", "Locking", "PostgresStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "recsmith",
            dependencies: [
                "Service", "Catalogue", "Configuration", "Observability", "Serving", "Training", "HTTPServer", "Evaluation", "EventStore",
                "EventFormats", "JSON", "LinearAlgebra", "Models", "PostgresStore", "Replay", "Reports", "SyntheticData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // In-process timings for Benchmarks/run.sh, outside the product binary.
        .executableTarget(
            name: "recsmith-bench",
            dependencies: [
                "Models", "LinearAlgebra", "SyntheticData", "Evaluation", "EventFormats", "EventStore", "Locking",
                "Catalogue", "Filtering", "NearestNeighbors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/Sources/recsmith-bench"
        ),

        // Tests mirror the targets.
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport", "COpenSSL", "CNGHTTP2", "Locking"]),
        .testTarget(name: "EventFormatsTests", dependencies: ["EventFormats"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "CatalogueTests", dependencies: ["Catalogue", "Filtering", "JSON", "LinearAlgebra"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "EventFormats", "Locking", "PostgresStore", "TestSupport"]),
        .testTarget(name: "PostgresStoreTests", dependencies: ["PostgresStore", "EventStore", "EventFormats", "Locking", "TestSupport"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "Locking"]),
        .testTarget(name: "NeuralLayersTests", dependencies: ["NeuralLayers", "LinearAlgebra", "TestSupport"]),
        .testTarget(name: "NearestNeighborsTests", dependencies: ["NearestNeighbors", "Hashing", "LinearAlgebra", "Locking"]),
        .testTarget(
            name: "ModelsTests", dependencies: ["Models", "Hashing", "LinearAlgebra", "NeuralLayers", "TestSupport"],
            // Fixtures are read through #filePath (implicit-als-cg.json: Benchmarks/peer/als_fixture.py).
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Evaluation", "Hashing", "Models", "EventFormats", "JSON", "LinearAlgebra", "SyntheticData", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Evaluation", "EventFormats", "JSON", "Markup", "Models", "TestSupport"]),
        .testTarget(name: "ServingTests", dependencies: ["Serving", "Models", "Locking"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Serving", "Catalogue", "EventFormats", "EventStore", "LinearAlgebra", "Models", "SyntheticData", "Locking",
                                                          .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "ObservabilityTests", dependencies: [
            "Observability", "EventStore", "HTTPServer", "Models", "NearestNeighbors", "Serving", .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "EventStore", "HTTPServer", "Models", "Observability", "OnlineLoop", "Filtering"]),
        .testTarget(
            name: "ServiceTests",
            dependencies: [
                "Service", "Catalogue", "Configuration", "Observability", "Serving", "Training", "HTTPServer", "EventStore", "Models",
                "TestSupport", "SyntheticData", "Locking", "LinearAlgebra", "NearestNeighbors",
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(name: "SyntheticDataTests", dependencies: ["SyntheticData", "JSON"]),
        .testTarget(name: "APIReferenceTests", dependencies: ["APIReference", "Markup", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "FilteringTests", dependencies: ["Filtering", "LinearAlgebra"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "OnlineLoopTests", dependencies: ["OnlineLoop", "OnlineStatistics", "EventStore", "Filtering", "Locking", "Models"]),
        .testTarget(name: "OnlineStatisticsTests", dependencies: ["OnlineStatistics"]),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "Evaluation", "EventStore", "JSON", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["recsmith", "TestSupport", "SyntheticData", "Locking"]),

        // Helpers shared by the test targets (a raw loopback HTTP client, a headless browser, where MovieLens is).
        .target(name: "TestSupport", dependencies: ["EventStore", "PostgresStore"], path: "Tests/Support"),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
