// swift-tools-version:6.1
import PackageDescription

// The performance suite of ClinicLog's RecordLog engine, kept out of the root package so that the product does not
// depend on package-benchmark. Run it from this folder: `swift package --disable-sandbox benchmark` (see README.md).
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
        )
    ]
)
