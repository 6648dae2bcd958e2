import JSON
import XCTest
@testable import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// Replaying records follows Open vSwitch's `ovsdb_file_txn_from_json()`.
final class FileStorageReplayTests: XCTestCase {
    private func replay(_ records: [JSON]) throws -> [[OVSDB.UUID: Row]] {
        var rows: [[OVSDB.UUID: Row]] = Array(repeating: [:], count: TestSchema.schema.tables.count)
        for r in records { try FileStorage.replay(r, schema: TestSchema.schema, into: &rows) }
        return rows
    }

    private let u = "11111111-1111-4111-8111-111111111111"

    private func failure(_ records: [JSON]) -> String? {
        do {
            _ = try replay(records)
            return nil
        } catch {
            return (error as? OVSDBError)?.description
        }
    }

    func testUnknownTablesColumnsAndMissingRowsAreErrors() {
        XCTAssertEqual(failure([["Nope": [:]]]), "unknown table: No table named Nope.")
        XCTAssertEqual(failure([["_bogus": 1]]), "unknown table: No table named _bogus.")
        XCTAssertEqual(failure([["Leaf": [u: ["y": 1]]]]), "unknown column: No column y in table Leaf.")
        XCTAssertEqual(failure([["Leaf": [u: .null]]]), "syntax error: transaction deletes row \(u) that does not exist")
        XCTAssertEqual(failure([["Leaf": [u: 5]]]), "syntax error: row must be JSON object")
        XCTAssertNil(failure([["_date": 1, "_comment": "c", "_is_diff": false]]))
    }

    /// A column of at most one element is written as its new value, not as a set difference
    /// (which Open vSwitch could not read back), and read back as a replacement.
    func testOptionalColumnDiffIsTheNewValue() throws {
        let type = TestSchema.schema.table("Root")!.column("mode")!.type
        let a = Datum(atom: .string("a")), b = Datum(atom: .string("b"))
        XCTAssertEqual(a.diff(to: b, type: type), b)
        var value = a
        value.apply(diff: b, type: type)
        XCTAssertEqual(value, b)
    }

    /// A diff applies to a column that holds a value; one still at its default is replaced.
    func testDiffsApplyToNonDefaultColumns() throws {
        let rows = try replay([
            ["Root": [u: ["name": "r", "tags": ["set", ["a", "b"]]]]],
            ["_is_diff": true, "Root": [u: ["tags": ["set", ["b", "c"]], "opts": ["map", [["k", "v"]]]]]],
        ])
        let root = TestSchema.schema.position(of: "Root")!
        let row = try XCTUnwrap(rows[root][OVSDB.UUID(u)!])
        let table = TestSchema.schema.tables[root]
        XCTAssertEqual(row.values[table.position(of: "tags")!].json, ["set", ["a", "c"]])
        XCTAssertEqual(row.values[table.position(of: "opts")!].json, ["map", [["k", "v"]]])
    }
}
