// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "StreetGate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "streetgate", targets: ["streetgate"]),
        .executable(name: "streetgate-sim", targets: ["streetgate-sim"]),
        // For the libFuzzer targets under tools/fuzz, a package of their own.
        .library(name: "GatewayCore", targets: ["GatewayCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        // C boundary: the only module that sees <mosquitto.h>.
        .systemLibrary(
            name: "CMosquitto",
            pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"])]
        ),
        // Thin MQTT client over libmosquitto, with its own loop thread; the only importer of CMosquitto.
        .target(
            name: "MQTTClient",
            dependencies: [
                "CMosquitto",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Pure domain: readings, topic templates, payload decoders, the configuration model. No I/O.
        .target(name: "GatewayCore"),
        // The SQLite buffer: migrations, group-commit ingest, dead letters, eviction, read-only queries.
        .target(
            name: "GatewayStore",
            dependencies: [
                "GatewayCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // systemd's side of the process: sd_notify datagrams, the watchdog period, journald log lines.
        .target(
            name: "SystemdIntegration",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Wiring: builds the running gateway from a configuration value.
        .target(
            name: "GatewayDaemon",
            dependencies: [
                "GatewayCore",
                "GatewayStore",
                "MQTTClient",
                "SystemdIntegration",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "streetgate",
            dependencies: [
                "GatewayCore",
                "GatewayStore",
                "GatewayDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Realistic city sensors for demos, tests and benchmarks: pure models, then the publisher.
        .target(name: "CitySimulation", dependencies: ["GatewayCore"], path: "tools/simulator/CitySimulation"),
        .executableTarget(
            name: "streetgate-sim",
            dependencies: [
                "CitySimulation",
                "GatewayCore",
                "MQTTClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "tools/simulator/streetgate-sim"
        ),
        // What the benchmarks share: the city's traffic, reporting, stopping the daemon.
        .target(name: "BenchSupport", dependencies: ["TestSupport"], path: "tools/bench/Support"),
        .executableTarget(
            name: "bench-ingest",
            dependencies: [
                "BenchSupport",
                "GatewayStore",
                "MQTTClient",
                "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "tools/bench/ingest"
        ),
        .executableTarget(
            name: "bench-uplink",
            dependencies: [
                "BenchSupport",
                "GatewayCore",
                "GatewayStore",
                "MQTTClient",
                "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "tools/bench/uplink"
        ),
        .executableTarget(
            name: "bench-disk",
            dependencies: [
                "BenchSupport",
                "GatewayStore",
                "MQTTClient",
                "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "tools/bench/disk"
        ),
        .executableTarget(
            name: "bench-startup",
            dependencies: [
                "BenchSupport",
                "GatewayCore",
                "GatewayStore",
                "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "tools/bench/startup"
        ),
        .executableTarget(
            name: "bench-soak",
            dependencies: [
                "BenchSupport",
                "GatewayCore",
                "GatewayStore",
                "MQTTClient",
                "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "tools/bench/soak"
        ),
        .executableTarget(
            name: "bench-rules",
            dependencies: ["GatewayCore"],
            path: "tools/bench/rules"
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "GatewayCoreTests", dependencies: ["GatewayCore"]),
        .testTarget(
            name: "GatewayStoreTests",
            dependencies: [
                "GatewayStore", "GatewayCore", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MQTTClientTests",
            dependencies: ["MQTTClient", "TestSupport", .product(name: "InMemoryLogging", package: "swift-log")]
        ),
        .testTarget(name: "CitySimulationTests", dependencies: ["CitySimulation"]),
        .testTarget(
            name: "SystemdIntegrationTests",
            dependencies: ["SystemdIntegration", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "UplinkSchemaTests", dependencies: ["GatewayCore", "TestSupport"]),
        .testTarget(name: "GatewayDaemonTests", dependencies: ["GatewayDaemon", "GatewayCore", "TestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "GatewayCore", "GatewayStore", "MQTTClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
