// swift-tools-version:6.1
// libFuzzer targets, kept in their own package so that ordinary builds never see them.
// Build and run with ../scripts/fuzz.sh (swift build -Xswiftc -sanitize=fuzzer).
import PackageDescription

let package = Package(
    name: "swift-ovs-fuzz",
    dependencies: [.package(name: "swift-ovs", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport", .product(name: "JSON", package: "swift-ovs")]),
        .executableTarget(name: "FuzzJSONRPC", dependencies: ["FuzzSupport", .product(name: "JSONRPC", package: "swift-ovs")]),
        .executableTarget(name: "FuzzDatumText", dependencies: ["FuzzSupport", .product(name: "OVSDB", package: "swift-ovs")]),
        .executableTarget(name: "FuzzTransaction", dependencies: [
            "FuzzSupport", .product(name: "OVSDB", package: "swift-ovs"), .product(name: "JSON", package: "swift-ovs"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
