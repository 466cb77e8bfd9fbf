// swift-tools-version:6.1
import PackageDescription

// The performance suites of ClinicLog's RecordLog engine and ClinicEvents codec, kept out of the root package so that
// the product does not depend on package-benchmark. Run them from this folder: `swift package --disable-sandbox
// benchmark`, or one suite with `--target ClinicEventsBenchmarks` (see README.md).
let package = Package(
    name: "ClinicLogBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ClinicLog", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
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
    ]
)
