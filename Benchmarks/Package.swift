// swift-tools-version:6.1
import PackageDescription

// The performance suites of ClinicLog's RecordLog engine, ClinicEvents codec and ClinicProjections view rebuild,
// kept out of the root package so that the product does not depend on package-benchmark. Run them from this folder:
// `swift package --disable-sandbox benchmark`, or one suite with `--target ClinicEventsBenchmarks` (see README.md).
// The package also holds the programs behind `tools/compare` (ClinicLog against SQLite through GRDB) and
// `tools/generate-events`.
let package = Package(
    name: "ClinicLogBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ClinicLog", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .executableTarget(
            name: "RecordLogBenchmarks",
            dependencies: [
                .product(name: "RecordLog", package: "ClinicLog"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/RecordLogBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "ClinicEventsBenchmarks",
            dependencies: [
                .product(name: "ClinicEvents", package: "ClinicLog"),
                .product(name: "RecordLog", package: "ClinicLog"),
                .product(name: "RecordLogTesting", package: "ClinicLog"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ClinicEventsBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        .executableTarget(
            name: "ClinicProjectionsBenchmarks",
            dependencies: [
                "OfficeHistory",
                .product(name: "ClinicEvents", package: "ClinicLog"),
                .product(name: "ClinicProjections", package: "ClinicLog"),
                .product(name: "RecordLog", package: "ClinicLog"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/ClinicProjectionsBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // The seeded office history that the comparison runner and `tools/generate-events` share. Not under
        // Benchmarks/ (package-benchmark runs every executable target there), so the plugin ignores these targets.
        .target(
            name: "OfficeHistory",
            dependencies: [
                .product(name: "ClinicEvents", package: "ClinicLog"),
                .product(name: "RecordLog", package: "ClinicLog"),
                .product(name: "RecordLogTesting", package: "ClinicLog"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `tools/generate-events`: writes a seeded office history of N events as a store directory.
        .executableTarget(
            name: "GenerateEvents",
            dependencies: ["OfficeHistory"]
        ),
        // `tools/compare`: ClinicLog against SQLite (GRDB) and against the machine's limits, in one run.
        .executableTarget(
            name: "Compare",
            dependencies: [
                "OfficeHistory",
                .product(name: "ClinicEvents", package: "ClinicLog"),
                .product(name: "ClinicProjections", package: "ClinicLog"),
                .product(name: "RecordLog", package: "ClinicLog"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "OfficeHistoryTests",
            dependencies: [
                "OfficeHistory",
                .product(name: "ClinicEvents", package: "ClinicLog"),
                .product(name: "RecordLog", package: "ClinicLog"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
