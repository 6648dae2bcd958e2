import Foundation
import JSON
import JSONRPC
import NIOPosix
import OVSDB
@testable import OVSDBIDL
import Streams
import XCTest

/// The async IDL against a real ovsdb-server process.
final class IDLClientTests: XCTestCase {
    private static let selectAll: @Sendable (DatabaseSchema) -> IDLSelection = { schema in
        var s = IDLSelection()
        for t in ["Open_vSwitch", "Bridge", "Port", "Interface"] { s.addAllColumns(of: schema.table(t)!) }
        return s
    }

    private func client(_ server: ServerProcess) throws -> IDLClient {
        IDLClient(remote: try StreamTarget(server.remote), database: "Open_vSwitch",
                  group: MultiThreadedEventLoopGroup.singleton, select: IDLClientTests.selectAll)
    }

    /// Inserts the Open_vSwitch row through a client and returns its uuid.
    private func makeRoot(_ idl: IDLClient) async throws -> OVSDB.UUID {
        let outcome = try await idl.transact { t in _ = t.insert("Open_vSwitch") }
        guard case .success(let c) = outcome, let real = c.insertedRows.values.first else {
            throw TestError("insert failed: \(outcome)")
        }
        await idl.wait { $0.row("Open_vSwitch", real) != nil }
        return real
    }

    func testRacingClientsVerifyFailsAndRetryWins() async throws {
        let server = try ServerProcess()
        let a = try client(server), b = try client(server)
        let runA = Task { await a.run() }, runB = Task { await b.run() }
        defer { Task { await a.stop(); await b.stop() }; runA.cancel(); runB.cancel() }
        let root = try await makeRoot(a)
        await b.wait { $0.row("Open_vSwitch", root) != nil }

        // Both read external_ids from the same state and write back their own addition.
        func addKey(_ t: inout IDLTransaction, _ key: String) {
            var ids = t.value("Open_vSwitch", root, "external_ids")
            t.verify("Open_vSwitch", root, "external_ids")
            ids.insert(Datum(keys: [.string(key)], values: [.string("1")]))
            t.write("Open_vSwitch", root, "external_ids", ids)
        }
        var ta = IDLTransaction(base: await a.replica!)
        var tb = IDLTransaction(base: await b.replica!)
        addKey(&ta, "a")
        addKey(&tb, "b")
        guard case .success = await a.commit(ta) else { return XCTFail("first commit should win") }
        let second = await b.commit(tb)
        XCTAssertEqual(second, .tryAgain, "the stale verify must fail")

        let retried = try await b.transact { t in addKey(&t, "b") }
        guard case .success = retried else { return XCTFail("retry should win, got \(retried)") }
        await a.wait { $0.value("Open_vSwitch", root, "external_ids").count == 2 }
        let ids = await a.replica!.value("Open_vSwitch", root, "external_ids")
        XCTAssertEqual(ids, Datum(keys: [.string("a"), .string("b")], values: [.string("1"), .string("1")]))
    }

    func testLockGuardsCommitsAndPassesOn() async throws {
        let server = try ServerProcess()
        func locking() throws -> IDLClient {
            IDLClient(remote: try StreamTarget(server.remote), database: "Open_vSwitch",
                      group: MultiThreadedEventLoopGroup.singleton, lock: "vswitchd", select: IDLClientTests.selectAll)
        }
        let a = try locking(), b = try locking()
        let runA = Task { await a.run() }
        while !(await a.hasLock) { await a.waitForChange() }
        let runB = Task { await b.run() }
        defer { Task { await b.stop() }; runB.cancel() }
        await b.wait { _ in true }
        let hasLock = await b.hasLock
        XCTAssertFalse(hasLock)
        let refused = await b.commit(IDLTransaction(base: await b.replica!))
        XCTAssertEqual(refused, .notLocked)

        // The holder goes away; the waiting client is told it has the lock and may commit.
        await a.stop()
        runA.cancel()
        while !(await b.hasLock) { await b.waitForChange() }
        let outcome = try await b.transact { t in _ = t.insert("Open_vSwitch") }
        guard case .success = outcome else { return XCTFail("commit under the lock failed: \(outcome)") }
    }

    func testServerKilledAndRestartedResyncsExactly() async throws {
        let server = try ServerProcess()
        let idl = try client(server)
        let run = Task { await idl.run() }
        defer { Task { await idl.stop() }; run.cancel() }
        let root = try await makeRoot(idl)
        let outcome = try await idl.transact { t in
            for name in ["keep", "gone"] {
                let br = t.insert("Bridge")
                t.write("Bridge", br, "name", Datum(atom: .string(name)))
                var bridges = t.value("Open_vSwitch", root, "bridges")
                bridges.insert(Datum(keys: [.uuid(br)]))
                t.write("Open_vSwitch", root, "bridges", bridges)
            }
        }
        guard case .success = outcome else { return XCTFail("setup failed: \(outcome)") }
        await idl.wait { $0.rows("Bridge").count == 2 }
        await idl.trackChanges()
        let before = await idl.connectionCount

        // While the server is down, the file changes: "gone" is removed and "new" added.
        server.kill()
        await idl.wait { _ in true }
        let bridges = await idl.replica!.rows("Bridge")
        let gone = bridges.first { $0.value.columns["name"] == Datum(atom: .string("gone")) }!.key
        let keep = bridges.first { $0.value.columns["name"] == Datum(atom: .string("keep")) }!.key
        let ops = """
            ["Open_vSwitch",
             {"op": "insert", "table": "Bridge", "row": {"name": "new"}, "uuid-name": "n"},
             {"op": "update", "table": "Open_vSwitch", "where": [],
              "row": {"bridges": ["set", [["uuid", "\(keep)"], ["named-uuid", "n"]]]}}]
            """
        try ServerProcess.run("ovsdb-tool", ["transact", server.databasePath, ops])
        try server.start()

        // Reconnected, resynchronised: exactly one insert and one delete, nothing twice.
        await idl.wait { $0.rows("Bridge").count == 2 && $0.rows("Bridge")[gone] == nil }
        let connections = await idl.connectionCount
        XCTAssertGreaterThan(connections, before)
        let changes = await idl.takeChanges().filter { $0.table == "Bridge" }
        XCTAssertEqual(changes.filter { $0.kind == .delete }.map(\.uuid), [gone])
        XCTAssertEqual(changes.filter { $0.kind == .insert }.count, 1)
        XCTAssertFalse(changes.contains { $0.uuid == keep && $0.kind != .modify })
        let names = await Set(idl.replica!.rows("Bridge").values.compactMap { $0.columns["name"]?.first?.stringValue })
        XCTAssertEqual(names, ["keep", "new"])
    }

    func testTenThousandRowInitialSync() async throws {
        let server = try ServerProcess()
        // One transaction of 10,000 interfaces (a root set keeps them: 100 ports of 100 each).
        var ops: [String] = [#"{"op": "insert", "table": "Open_vSwitch", "row": {"bridges": ["named-uuid", "br"]}}"#]
        var ports: [String] = []
        for p in 0..<100 {
            var ifaces: [String] = []
            for i in 0..<100 {
                ops.append(#"{"op": "insert", "table": "Interface", "uuid-name": "i\#(p)_\#(i)", "row": {"name": "eth\#(p)-\#(i)"}}"#)
                ifaces.append(#"["named-uuid", "i\#(p)_\#(i)"]"#)
            }
            ops.append(#"{"op": "insert", "table": "Port", "uuid-name": "p\#(p)", "row": {"name": "p\#(p)", "interfaces": ["set", [\#(ifaces.joined(separator: ","))]]}}"#)
            ports.append(#"["named-uuid", "p\#(p)"]"#)
        }
        ops.append(#"{"op": "insert", "table": "Bridge", "uuid-name": "br", "row": {"name": "br0", "ports": ["set", [\#(ports.joined(separator: ","))]]}}"#)
        let loader = try JSONRPCClient(connectingTo: try StreamTarget(server.remote))
        let result = try loader.transact("Open_vSwitch", try ops.map { try JSONParser.parse($0) })
        loader.close()
        XCTAssertNil(result.arrayValue?.first { $0["error"] != nil })

        let idl = try client(server)
        let start = ContinuousClock.now
        let run = Task { await idl.run() }
        defer { Task { await idl.stop() }; run.cancel() }
        await idl.wait { $0.rows("Interface").count == 10_000 }
        let elapsed = ContinuousClock.now - start
        let replica = await idl.replica!
        XCTAssertEqual(replica.rows("Port").count, 100)
        XCTAssertEqual(Set(replica.rows("Interface").values.compactMap { $0.columns["name"]?.first?.stringValue }).count, 10_000)
        print("10,000-interface initial sync: \(elapsed)")
    }
}
