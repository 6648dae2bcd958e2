import JSON
import XCTest
@testable import OVSDB

final class DatumTests: XCTestCase {
    let stringSet = ColumnType(key: BaseType(.string), min: 0, max: .max)
    let stringMap = ColumnType(key: BaseType(.string), value: BaseType(.string), min: 0, max: .max)

    func testSetsAreSortedAndOneElementSetsAreBare() throws {
        let d = try Datum(json: ["set", ["b", "a", "c"]], type: stringSet)
        XCTAssertEqual(d.json, ["set", ["a", "b", "c"]])
        XCTAssertEqual(try Datum(json: "x", type: stringSet).json, "x")
        XCTAssertThrowsError(try Datum(json: ["set", ["a", "a"]], type: stringSet))
    }

    func testStringsCompareByBytesNotUnicodeEquivalence() throws {
        let d = try Datum(json: ["set", ["\u{e9}", "e\u{301}"]], type: stringSet)
        XCTAssertEqual(d.count, 2, "precomposed and decomposed é are different OVSDB strings")
    }

    func testSizeConstraints() {
        let one = ColumnType(key: BaseType(.integer), min: 1, max: 2)
        XCTAssertThrowsError(try Datum(json: ["set", []], type: one)) { e in
            XCTAssertEqual((e as! OVSDBError).details, "set must have 1 to 2 members but 0 are present")
        }
    }

    func testDiffAndApply() throws {
        let old = try Datum(json: ["map", [["a", "1"], ["b", "2"], ["c", "3"]]], type: stringMap)
        let new = try Datum(json: ["map", [["b", "2"], ["c", "9"], ["d", "4"]]], type: stringMap)
        let diff = old.diff(to: new, type: stringMap)
        XCTAssertEqual(diff.json, ["map", [["a", "1"], ["c", "9"], ["d", "4"]]])
        var applied = old
        applied.apply(diff: diff, type: stringMap)
        XCTAssertEqual(applied, new)

        let s1 = try Datum(json: ["set", ["a", "b"]], type: stringSet), s2 = try Datum(json: ["set", ["b", "c"]], type: stringSet)
        XCTAssertEqual(s1.diff(to: s2, type: stringSet).json, ["set", ["a", "c"]])

        let scalar = ColumnType(key: BaseType(.integer))
        XCTAssertEqual(Datum(atom: .integer(0)).diff(to: Datum(atom: .integer(1)), type: scalar), Datum(atom: .integer(1)))
    }

    func testUUIDTextRoundTrip() {
        let text = "20532b2a-98bd-4ad2-af79-160e524e3faf"
        XCTAssertEqual(UUID(text)?.description, text)
        XCTAssertEqual(UUID(text.uppercased())?.description, text)
        XCTAssertNil(UUID("20532b2a-98bd-4ad2-af79-160e524e3fa"))
        XCTAssertNil(UUID("20532b2a+98bd-4ad2-af79-160e524e3faf"))
        XCTAssertTrue(UUID("00000000-0000-0000-0000-000000000001")! < UUID("10000000-0000-0000-0000-000000000000")!)
    }

    func testTextForm() throws {
        XCTAssertEqual(try Datum(json: ["map", [["k", "v w"]]], type: stringMap).text(stringMap), #"{k="v w"}"#)
        XCTAssertEqual(try Datum(json: ["set", []], type: stringSet).text(stringSet), "[]")
        XCTAssertEqual(Datum(atom: .string("br0")).text(ColumnType(key: BaseType(.string))), "br0")
        XCTAssertEqual(Datum(atom: .string("10.0.0.1")).text(ColumnType(key: BaseType(.string))), "\"10.0.0.1\"")
    }
}
