// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "ClinicLog",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "RecordLog", targets: ["RecordLog"]),
        .library(name: "RecordLogTesting", targets: ["RecordLogTesting"]),
        .library(name: "ClinicEvents", targets: ["ClinicEvents"]),
        .library(name: "ClinicStore", targets: ["ClinicStore"]),
        .library(name: "ClinicProjections", targets: ["ClinicProjections"]),
        .library(name: "ClinicAudit", targets: ["ClinicAudit"]),
        .executable(name: "clinic", targets: ["ClinicCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]
        ),
        .target(name: "CCRC32C"),
        .target(name: "CSHA256"),
        .target(
            name: "RecordLog",
            dependencies: [
                "CLZ4",
                "CCRC32C",
                "CSHA256",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "RecordLogTesting",
            dependencies: ["RecordLog"]
        ),
        .target(name: "ClinicEvents", dependencies: ["RecordLog", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "RecordLogTests",
            dependencies: [
                "RecordLog",
                "RecordLogTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ClinicStore",
            dependencies: [
                "RecordLog", "ClinicEvents", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ClinicProjections",
            dependencies: ["RecordLog", "ClinicEvents", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "ClinicAudit",
            dependencies: [
                "RecordLog", "ClinicEvents", "ClinicProjections", .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "ClinicCLI",
            dependencies: [
                "RecordLog", "ClinicEvents", "ClinicStore", "ClinicProjections", "ClinicAudit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ClinicEventsTests", dependencies: ["ClinicEvents", "RecordLogTesting"]),
        .testTarget(name: "ClinicStoreTests", dependencies: ["ClinicStore", "ClinicEvents", "RecordLogTesting"]),
        .testTarget(
            name: "ClinicProjectionsTests",
            dependencies: [
                "ClinicProjections", "ClinicStore", "ClinicEvents", "RecordLogTesting",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ClinicAuditTests",
            dependencies: ["ClinicAudit", "ClinicProjections", "ClinicStore", "ClinicEvents", "RecordLogTesting"]
        ),
        .testTarget(name: "ClinicCLITests", dependencies: ["ClinicStore", "ClinicEvents", "RecordLog", "RecordLogTesting"]),
    ]
)
