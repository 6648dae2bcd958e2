import JSON
import XCTest
@testable import OVSDB

final class SchemaConversionTests: XCTestCase {
    /// TestSchema's Root and Leaf with: `fixed` and `watch` dropped, `n` an optional real,
    /// `tags` integers, a new `extra` column and a new table; Child and Single dropped.
    private static func newSchema(tags: String = "string") -> DatabaseSchema {
        try! DatabaseSchema(json: try! JSONParser.parse("""
            {"name": "T", "version": "2.0.0", "tables": {
              "Root": {"isRoot": true, "columns": {
                "name": {"type": "string"},
                "n": {"type": {"key": "real", "min": 0, "max": 1}},
                "tags": {"type": {"key": "\(tags)", "min": 0, "max": "unlimited"}},
                "opts": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
                "extra": {"type": {"key": "integer", "min": 0, "max": "unlimited"}}}},
              "Leaf": {"columns": {"x": {"type": "integer"}}},
              "New": {"columns": {"v": {"type": "string"}}}
            }}
            """))
    }

    private func rows(_ db: Database, _ table: String, _ columns: JSON) -> JSON {
        db.transact([["op": "select", "table": .string(table), "where": [], "columns": columns]])[0]["rows"]!
    }

    func testColumnsAreCarriedDroppedAndDefaulted() throws {
        let db = TestSchema.database()
        db.transact([["op": "insert", "table": "Root",
                      "row": ["name": "a", "n": 5, "tags": ["set", ["x", "y"]], "opts": ["map", [["k", "v"]]], "fixed": "f"]]])
        let converted = try db.converted(to: SchemaConversionTests.newSchema())
        XCTAssertEqual(rows(converted, "Root", ["name", "n", "tags", "opts", "extra"]),
                       [["name": "a", "n": 5.0, "tags": ["set", ["x", "y"]], "opts": ["map", [["k", "v"]]], "extra": ["set", []]]])
        XCTAssertNil(converted.schema.table("Child"))
        XCTAssertEqual(converted.count("New"), 0)
        let uuid = try XCTUnwrap(db.tables[db.schema.position(of: "Root")!].rows.keys.first)
        XCTAssertNotNil(converted.row(converted.schema.position(of: "Root")!, uuid), "rows keep their uuids")
    }

    func testDefaultsAreConvertedOrReset() throws {
        let db = TestSchema.database()
        db.transact([["op": "insert", "table": "Root", "row": ["name": "zero"]]])
        let converted = try db.converted(to: SchemaConversionTests.newSchema(), defaults: .convert)
        XCTAssertEqual(rows(converted, "Root", ["n"]), [["n": 0.0]])
        let reset = try db.converted(to: SchemaConversionTests.newSchema(), defaults: .reset)
        XCTAssertEqual(rows(reset, "Root", ["n"]), [["n": ["set", []]]])
    }

    func testAValueThatDoesNotFitFails() {
        let db = TestSchema.database()
        db.transact([["op": "insert", "table": "Root", "row": ["name": "a", "tags": "word"]]])
        XCTAssertThrowsError(try db.converted(to: SchemaConversionTests.newSchema(tags: "integer"))) { error in
            XCTAssertEqual((error as? OVSDBError)?.details, "expected integer")
        }
    }

    func testUnreferencedNonRootRowsAreCollected() throws {
        let db = TestSchema.database()
        db.transact([
            ["op": "insert", "table": "Root", "row": ["name": "a", "children": ["named-uuid", "c"]]],
            ["op": "insert", "table": "Child", "uuid-name": "c", "row": ["name": "c", "grandchild": ["named-uuid", "l"]]],
            ["op": "insert", "table": "Leaf", "uuid-name": "l", "row": ["x": 1]],
        ])
        XCTAssertEqual(db.count("Leaf"), 1)
        // Child is dropped, so nothing refers to the Leaf any more.
        let converted = try db.converted(to: SchemaConversionTests.newSchema())
        XCTAssertEqual(converted.count("Leaf"), 0)
        XCTAssertEqual(converted.count("Root"), 1)
    }
}
