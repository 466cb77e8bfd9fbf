// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for ClinicLog's decoders of untrusted bytes, kept out of the root package so that the product
// build stays lean. Build and run one with `tools/fuzz TARGET SECONDS` from the repository root (see
// docs/reliability.md); the targets reach internal decoders through `@testable import`, so they are built with
// `-Xswiftc -enable-testing`.
let recordLog = Target.Dependency.product(name: "RecordLog", package: "ClinicLog")
let recordLogTesting = Target.Dependency.product(name: "RecordLogTesting", package: "ClinicLog")
let clinicEvents = Target.Dependency.product(name: "ClinicEvents", package: "ClinicLog")

let package = Package(
    name: "ClinicLogFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "ClinicLog", path: ".."),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(name: "FuzzBatchDecoder", dependencies: [recordLog]),
        .executableTarget(name: "FuzzSegmentIndex", dependencies: [recordLog]),
        .executableTarget(name: "FuzzManifest", dependencies: [recordLog]),
        .executableTarget(name: "FuzzCheckpoint", dependencies: [recordLog]),
        .executableTarget(name: "FuzzEventCodec", dependencies: [clinicEvents]),
        .executableTarget(
            name: "FuzzKeyring",
            dependencies: [clinicEvents, recordLogTesting, .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(
            name: "MakeFuzzCorpus",
            dependencies: [
                recordLog, recordLogTesting, clinicEvents, .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
