import Foundation

/// Our ovsdb-server (built next to the tests) on a fresh Open_vSwitch database in a private
/// directory; killed by pid, never by name, and its directory removed at the end.
final class ServerProcess {
    let directory: URL
    private var process: Process?

    var socketPath: String { directory.appendingPathComponent("db.sock").path }
    var remote: String { "unix:" + socketPath }
    var databasePath: String { directory.appendingPathComponent("conf.db").path }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory holding the built programs (`.build/debug` or `OVS_BIN`).
    static var binaries: URL {
        if let env = ProcessInfo.processInfo.environment["OVS_BIN"] { return URL(fileURLWithPath: env) }
        return repository.appendingPathComponent(".build/debug")
    }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("idl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try ServerProcess.run("ovsdb-tool", ["create", databasePath,
                                             ServerProcess.repository.appendingPathComponent("schemas/vswitch.ovsschema").path])
        try start()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: directory)
    }

    func start() throws {
        try? FileManager.default.removeItem(atPath: socketPath)
        let p = Process()
        p.executableURL = ServerProcess.binaries.appendingPathComponent("ovsdb-server")
        p.arguments = ["--remote=punix:" + socketPath, "--unixctl=" + directory.appendingPathComponent("ctl").path,
                       "--log-file=" + directory.appendingPathComponent("log").path, databasePath]
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socketPath) {
            guard Date() < deadline, p.isRunning else { throw TestError("ovsdb-server did not start") }
            usleep(20_000)
        }
    }

    /// SIGKILL, as a crash; the database stays.
    func kill() {
        guard let p = process, p.isRunning else { return }
        Foundation.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    /// Runs one of our programs to completion.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = binaries.appendingPathComponent(program)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestError("\(program) \(arguments) exited \(p.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }
}

struct TestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
