// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SpeakUp",
    products: [
        .executable(name: "speakup", targets: ["speakup"]),
        .executable(name: "speakup-torture", targets: ["speakup-torture"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "SpeakUpCore"),
        .target(
            name: "SpeakUpStore",
            dependencies: [
                "SpeakUpCore", "SpeakUpSealing",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "SpeakUpPostgres",
            dependencies: ["SpeakUpCore", "SpeakUpStore", .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
        // Sealing: the cryptography that keeps reports' words readable only by their handlers.
        .target(
            name: "SpeakUpSealing",
            dependencies: [
                "SpeakUpCore", "CProcessHardening",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(name: "CProcessHardening"),
        .target(name: "SpeakUpTUI", dependencies: ["SpeakUpCore", "CNCurses"]),
        .target(
            name: "SpeakUpRules",
            dependencies: ["SpeakUpCore", .product(name: "Yams", package: "Yams"), .product(name: "CSV", package: "CSV.swift")]
        ),
        .executableTarget(
            name: "speakup",
            dependencies: [
                "SpeakUpCore", "SpeakUpStore", "SpeakUpPostgres", "SpeakUpTUI", "SpeakUpRules", "SpeakUpSealing", "CProcessHardening",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "CPseudoTerminal"),
        .executableTarget(
            name: "speakup-bench",
            dependencies: [
                "SpeakUpCore", "SpeakUpStore", "SpeakUpTUI", "SpeakUpRules", "SpeakUpSealing", "CPseudoTerminal",
                // The PostgreSQL figures: the store, and a throwaway server of the bench's own.
                "SpeakUpPostgres", "TestPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .executableTarget(
            name: "speakup-torture",
            dependencies: ["SpeakUpCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "SpeakUpCoreTests", dependencies: ["SpeakUpCore"]),
        .testTarget(name: "SpeakUpStoreTests", dependencies: [
            "SpeakUpCore", "SpeakUpStore", "SpeakUpRules",
            .product(name: "Crypto", package: "swift-crypto"), .product(name: "CryptoExtras", package: "swift-crypto"),
        ]),
        .testTarget(name: "SpeakUpSealingTests", dependencies: ["SpeakUpCore", "SpeakUpSealing", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "SpeakUpRulesTests", dependencies: ["SpeakUpCore", "SpeakUpRules"]),
        .testTarget(
            name: "SpeakUpTUITests",
            dependencies: ["SpeakUpCore", "SpeakUpTUI"],
            exclude: ["Snapshots"]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["SpeakUpCore", "SpeakUpStore", "TestPostgres"]),
        .target(name: "TestPostgres", dependencies: ["CProcessHardening"], path: "Tests/TestPostgres"),
        .testTarget(name: "SpeakUpPostgresTests", dependencies: ["SpeakUpPostgres", "TestPostgres", "SpeakUpCore"]),
        // One behaviour, every engine: the store contract as the product relies on it.
        .testTarget(
            name: "StoreConformanceTests",
            dependencies: ["SpeakUpCore", "SpeakUpStore", "SpeakUpPostgres", "SpeakUpSealing", "SpeakUpRules", "TestPostgres",
                           .product(name: "PostgresNIO", package: "postgres-nio")]
        ),
    ]
)

// Every target is built in the Swift 6 language mode with strict concurrency.
for target in package.targets where target.type != .system && target.name != "CPseudoTerminal" && target.name != "CProcessHardening" {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    target.swiftSettings = settings
}
