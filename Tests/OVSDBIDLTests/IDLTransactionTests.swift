import JSON
import OVSDB
@testable import OVSDBIDL
import XCTest

final class IDLTransactionTests: XCTestCase {
    private let schema = try! DatabaseSchema(json: JSONParser.parse("""
        {"name": "db", "version": "1.0.0", "tables": {
          "Root": {"columns": {"kids": {"type": {"key": {"type": "uuid", "refTable": "Kid"}, "min": 0, "max": "unlimited"}},
                               "n": {"type": "integer"}}, "isRoot": true, "maxRows": 1},
          "Kid": {"columns": {"name": {"type": "string"}}}}}
        """))

    private func replica(_ updates: String) throws -> IDLReplica {
        var s = IDLSelection()
        s.addAllColumns(of: schema.table("Root")!)
        s.addAllColumns(of: schema.table("Kid")!)
        var r = IDLReplica(schema: schema, selection: s)
        try r.apply(JSONParser.parse(updates), version: .v2)
        return r
    }

    func testUpdate2AppliesInsertModifyDeleteAndTracksChanges() throws {
        var r = try replica(#"{"Kid": {"00000000-0000-4000-8000-000000000001": {"initial": {"name": "a"}}}}"#)
        r.tracksChanges = true
        let kid = UUID("00000000-0000-4000-8000-000000000001")!
        try r.apply(JSONParser.parse(#"{"Kid": {"00000000-0000-4000-8000-000000000001": {"modify": {"name": "b"}}}}"#), version: .v2)
        XCTAssertEqual(r.value("Kid", kid, "name"), Datum(atom: .string("b")))
        try r.apply(JSONParser.parse(#"{"Kid": {"00000000-0000-4000-8000-000000000001": {"delete": null}}}"#), version: .v2)
        XCTAssertNil(r.row("Kid", kid))
        XCTAssertEqual(r.takeChanges().map(\.kind), [.modify, .delete])
        XCTAssertEqual(r.seqno, 3)
    }

    func testOperationsVerifyInsertAndIncrement() throws {
        let root = UUID("00000000-0000-4000-8000-0000000000aa")!
        let r = try replica(#"{"Root": {"00000000-0000-4000-8000-0000000000aa": {"initial": {"n": 1}}}}"#)
        var t = IDLTransaction(base: r)
        t.verify("Root", root, "kids")
        let kid = t.insert("Kid")
        t.write("Kid", kid, "name", Datum(atom: .string("x")))
        t.write("Root", root, "kids", Datum(keys: [.uuid(kid)]))
        t.increment("Root", root, "n")
        t.comment = "test"
        let (ops, changes, layout) = t.operations()
        XCTAssertTrue(changes)
        // Rows in the order the transaction touched them: Root (verified first), then the Kid.
        XCTAssertEqual(ops.map { $0["op"]!.stringValue! }, ["wait", "update", "insert", "mutate", "select", "comment"])
        let name = IDLTransaction.rowName(kid)
        XCTAssertEqual(ops[2]["uuid-name"], .string(name))
        XCTAssertEqual(ops[1]["row"]?["kids"], ["named-uuid", .string(name)])

        let reply: JSON = [[:], ["count": 1], ["uuid": ["uuid", "00000000-0000-4000-8000-0000000000bb"]], ["count": 1],
                           ["rows": [["n": 2]]], [:]]
        guard case .success(let c) = t.outcome(reply: .result(reply), layout: layout) else { return XCTFail() }
        XCTAssertEqual(c.insertedRows[kid], UUID("00000000-0000-4000-8000-0000000000bb"))
        XCTAssertEqual(c.incrementedValue, 2)
        XCTAssertEqual(t.outcome(reply: .result([["error": "timed out"], .null]), layout: layout), .tryAgain)
    }

    func testNothingToDoIsUnchangedAndNonRootDeleteIsLeftToGC() throws {
        let kid = UUID("00000000-0000-4000-8000-000000000001")!
        let r = try replica(#"{"Kid": {"00000000-0000-4000-8000-000000000001": {"initial": {"name": "a"}}}}"#)
        var t = IDLTransaction(base: r)
        t.write("Kid", kid, "name", Datum(atom: .string("a")))
        XCTAssertFalse(t.operations().changesAnything)
        t.delete("Kid", kid)
        XCTAssertFalse(t.operations().changesAnything)
        XCTAssertFalse(t.exists("Kid", kid))
    }
}
