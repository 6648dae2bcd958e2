// swift-tools-version:6.1
// Benchmark harnesses, in their own package so that ordinary builds and tests skip them.
// Run through ../scripts/bench.sh, which compares against Debian's Open vSwitch in the same run.
import PackageDescription

let package = Package(
    name: "swift-ovs-benchmarks",
    dependencies: [.package(name: "swift-ovs", path: "..")],
    targets: [
        .executableTarget(name: "ovsdb-load", dependencies: [.product(name: "JSON", package: "swift-ovs")]),
        .executableTarget(name: "json-bench", dependencies: [.product(name: "JSON", package: "swift-ovs")]),
    ],
    swiftLanguageModes: [.v5]
)
