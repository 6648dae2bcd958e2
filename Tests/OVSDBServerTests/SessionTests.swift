import JSON
import JSONRPC
import NIOCore
import NIOEmbedded
import XCTest
@testable import OVSDB
@testable import OVSDBServer

/// Drives server sessions by hand on an embedded event loop: no sockets, no sleeps.
final class SessionTests: XCTestCase {
    var loop: EmbeddedEventLoop!
    var server: OVSDBServer!

    override func setUp() {
        loop = EmbeddedEventLoop()
        server = OVSDBServer(eventLoop: loop)
        let schema = try! DatabaseSchema(json: try! JSONParser.parse(#"""
        {"name":"Test","version":"1.0.0","tables":{"T":{"isRoot":true,"columns":{"name":{"type":"string"},"n":{"type":"integer"},
         "s":{"type":{"key":"string","min":0,"max":"unlimited"}}}}}}
        """#))
        server.host(Database(schema: schema))
    }

    private func connect() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: Session(server: server, probes: false), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    private func send(_ channel: EmbeddedChannel, _ method: String, _ params: JSON, id: JSON = 1) throws {
        try channel.writeInbound(JSONRPCMessage.request(method: method, params: params, id: id))
        loop.run()
    }

    private func outbound(_ channel: EmbeddedChannel) throws -> [JSONRPCMessage] {
        var decoder = JSONRPCDecoder()
        var out: [JSONRPCMessage] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            while let m = try decoder.nextMessage(&buffer) { out.append(m) }
        }
        return out
    }

    func testListDbsEchoAndUnknownMethod() throws {
        let c = try connect()
        try send(c, "list_dbs", [])
        try send(c, "echo", ["x"], id: 2)
        try send(c, "frobnicate", [], id: 3)
        XCTAssertEqual(try outbound(c), [
            .reply(result: ["Test", "_Server"], id: 1),
            .reply(result: ["x"], id: 2),
            .error(error: "unknown method", id: 3),
        ])
    }

    func testMonitorUpdatesArriveBeforeTheTransactReply() throws {
        let watcher = try connect(), writer = try connect()
        try send(watcher, "monitor_cond", ["Test", "m", ["T": [["columns": ["name", "s"]]]]])
        XCTAssertEqual(try outbound(watcher), [.reply(result: [:], id: 1)])
        try send(writer, "monitor", ["Test", "w", ["T": ["columns": ["n"]]]])
        _ = try outbound(writer)
        try send(writer, "transact", ["Test", ["op": "insert", "table": "T", "row": ["name": "a", "s": ["set", ["x", "y"]]]]], id: 2)
        let w = try outbound(writer)
        XCTAssertEqual(w.count, 2)
        guard case .notification("update", let p) = w[0], case .reply = w[1] else { return XCTFail("\(w)") }
        let row = p.arrayValue![1]["T"]!.objectValue!.first!.value
        XCTAssertEqual(row, ["new": ["n": 0]])
        guard case .notification("update2", let p2) = try outbound(watcher).first else { return XCTFail() }
        let uuid = p2.arrayValue![1]["T"]!.objectValue!.first!.key
        XCTAssertEqual(p2.arrayValue![1]["T"]![uuid], ["insert": ["name": "a", "s": ["set", ["x", "y"]]]])

        try send(writer, "transact", ["Test", ["op": "mutate", "table": "T", "where": [], "mutations": [["s", "delete", "x"], ["s", "insert", "z"]]]], id: 3)
        guard case .notification("update2", let p3) = try outbound(watcher).first else { return XCTFail() }
        XCTAssertEqual(p3.arrayValue![1]["T"]![uuid], ["modify": ["s": ["set", ["x", "z"]]]], "sets are sent as symmetric differences")
        XCTAssertEqual(try outbound(writer).count, 1, "the v1 monitor ignores columns it does not watch")
    }

    func testConditionalMonitorAndConditionChange() throws {
        let c = try connect()
        try send(c, "transact", ["Test", ["op": "insert", "table": "T", "row": ["name": "a", "n": 1]], ["op": "insert", "table": "T", "row": ["name": "b", "n": 2]]])
        _ = try outbound(c)
        try send(c, "monitor_cond_since", ["Test", "m", ["T": [["where": [["n", "==", 1]], "columns": ["name"]]]], "00000000-0000-0000-0000-000000000000"], id: 2)
        guard case .reply(let r, _) = try outbound(c).first else { return XCTFail() }
        XCTAssertEqual(r.arrayValue![0], false)
        XCTAssertEqual(r.arrayValue![2]["T"]!.objectValue!.map(\.value), [["initial": ["name": "a"]]])
        try send(c, "monitor_cond_change", ["m", "m", ["T": [["where": [["n", "==", 2]]]]]], id: 3)
        let out = try outbound(c)
        XCTAssertEqual(out.first, .reply(result: [:], id: 3))
        guard case .notification("update3", let p) = out.last else { return XCTFail("\(out)") }
        let values = Set(p.arrayValue![2]["T"]!.objectValue!.map(\.value))
        XCTAssertEqual(values, [["delete": nil], ["insert": ["name": "b"]]])
    }

    func testLocksStealAndHandOver() throws {
        let a = try connect(), b = try connect()
        try send(a, "lock", ["L"])
        try send(b, "lock", ["L"])
        XCTAssertEqual(try outbound(a), [.reply(result: ["locked": true], id: 1)])
        XCTAssertEqual(try outbound(b), [.reply(result: ["locked": false], id: 1)])
        try send(b, "steal", ["L"], id: 2)
        XCTAssertEqual(try outbound(a), [.notification(method: "stolen", params: ["L"])])
        XCTAssertEqual(try outbound(b), [.reply(result: ["locked": true], id: 2)])
        try send(a, "transact", ["Test", ["op": "assert", "lock": "L"]], id: 3)
        guard case .reply(let r, _) = try outbound(a).first else { return XCTFail() }
        XCTAssertEqual(r.arrayValue?.first?["error"], "not owner")
        try send(b, "unlock", ["L"], id: 4)
        XCTAssertEqual(try outbound(a), [.notification(method: "locked", params: ["L"])])
    }

    func testWaitTransactionCompletesAfterALaterCommit() throws {
        let waiter = try connect(), writer = try connect()
        try send(waiter, "transact", ["Test", ["op": "wait", "table": "T", "where": [], "columns": ["name"], "until": "!=", "rows": [], "timeout": 10000]])
        XCTAssertEqual(try outbound(waiter), [])
        try send(writer, "transact", ["Test", ["op": "insert", "table": "T", "row": ["name": "x"]]])
        loop.run()
        XCTAssertEqual(try outbound(waiter), [.reply(result: [[:]], id: 1)])
    }

    func testWaitTransactionTimesOut() throws {
        let c = try connect()
        try send(c, "transact", ["Test", ["op": "wait", "table": "T", "where": [], "columns": ["name"], "until": "!=", "rows": [], "timeout": 50]])
        loop.advanceTime(by: .milliseconds(60))
        guard case .reply(let r, _) = try outbound(c).first else { return XCTFail() }
        XCTAssertEqual(r.arrayValue?.first?["error"], "timed out")
    }

    func testReadOnlyServerDatabase() throws {
        let c = try connect()
        try send(c, "transact", ["_Server", ["op": "delete", "table": "Database", "where": []]])
        guard case .reply(let r, _) = try outbound(c).first else { return XCTFail() }
        XCTAssertEqual(r.arrayValue?.first?["error"], "not allowed")
    }
}
