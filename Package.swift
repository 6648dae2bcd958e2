// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "swift-ovs",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ovsdb-server", targets: ["ovsdb-server"]),
        .executable(name: "ovsdb-tool", targets: ["ovsdb-tool"]),
        .executable(name: "ovsdb-client", targets: ["ovsdb-client"]),
        .executable(name: "ovs-vsctl", targets: ["ovs-vsctl"]),
        .library(name: "OVSDB", targets: ["OVSDB"]),
        .library(name: "OVSDBIDL", targets: ["OVSDBIDL"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "JSONRPC", targets: ["JSONRPC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C edge.
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),

        // Foundations.
        .target(name: "JSON"),
        .target(name: "JSONRPC", dependencies: [
            "JSON", "Streams",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "Streams", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .target(name: "Daemon"),
        .target(name: "Unixctl", dependencies: [
            "JSON", "JSONRPC", "Streams",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Database.
        .target(name: "OVSDB", dependencies: ["JSON", "COpenSSL"]),
        .target(name: "OVSDBIDL", dependencies: [
            "OVSDB", "JSON", "JSONRPC", "Streams",
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .target(name: "OVSDBServer", dependencies: [
            "OVSDB", "JSON", "JSONRPC", "Streams", "Unixctl",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Programs: thin mains.
        .executableTarget(name: "ovsdb-server", dependencies: [
            "OVSDBServer", "OVSDB", "Daemon", "Unixctl",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "ovsdb-tool", dependencies: ["OVSDB", "JSON"]),
        .executableTarget(name: "ovsdb-client", dependencies: ["OVSDB", "JSON", "JSONRPC", "Streams", "Daemon"]),
        .target(name: "VSctl", dependencies: ["OVSDBIDL", "OVSDB", "JSON", "Streams", "Daemon"]),
        .executableTarget(name: "ovs-vsctl", dependencies: ["VSctl"]),

        // Tests.
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "OVSDBTests", dependencies: ["OVSDB", "JSON"]),
        .testTarget(name: "OVSDBIDLTests", dependencies: [
            "OVSDBIDL", "OVSDB", "JSON", "JSONRPC", "Streams",
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "VSctlTests", dependencies: ["VSctl", "OVSDB", "JSON"]),
        .testTarget(name: "OVSDBServerTests", dependencies: [
            "OVSDBServer", "JSONRPC",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
