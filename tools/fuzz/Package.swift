// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for GatewayCore's parsers: payload decoders, topic templates and filters, and
// the configuration loader. A package of its own, so the root build never sees a fuzzer flag;
// `run.sh` builds it with libFuzzer and AddressSanitizer and runs each target.
let package = Package(
    name: "StreetGateFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "StreetGate", path: "../.."),
    ],
    targets: [
        // What the targets share: the decoders under test and the checks of their promises.
        .target(
            name: "FuzzChecks",
            dependencies: [.product(name: "GatewayCore", package: "StreetGate")]
        ),
        // One file each, not called main.swift, so SwiftPM compiles it as a library
        // (`-parse-as-library`): libFuzzer supplies `main` and calls `LLVMFuzzerTestOneInput`.
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzChecks", .product(name: "GatewayCore", package: "StreetGate")]),
        .executableTarget(name: "fuzz-senml", dependencies: ["FuzzChecks", .product(name: "GatewayCore", package: "StreetGate")]),
        .executableTarget(name: "fuzz-text", dependencies: ["FuzzChecks", .product(name: "GatewayCore", package: "StreetGate")]),
        .executableTarget(name: "fuzz-topics", dependencies: ["FuzzChecks", .product(name: "GatewayCore", package: "StreetGate")]),
        .executableTarget(name: "fuzz-config", dependencies: ["FuzzChecks", .product(name: "GatewayCore", package: "StreetGate")]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
