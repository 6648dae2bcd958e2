import OVSDB
import XCTest

/// The text form of data people type into ovs-vsctl, with Open vSwitch's error messages.
final class DatumTextTests: XCTestCase {
    private let tag = ColumnType(key: { var b = BaseType(.integer); b.minInteger = 0; b.maxInteger = 4095; return b }(), min: 0, max: 1)
    private let trunks = ColumnType(key: BaseType(.integer), min: 0, max: 4096)
    private let map = ColumnType(key: BaseType(.string), value: BaseType(.string), min: 0, max: .max)

    private func error(_ text: String, _ type: ColumnType) -> String {
        do {
            _ = try Datum(text: text, type: type)
            return "no error"
        } catch {
            return error.description
        }
    }

    func testValues() throws {
        XCTAssertEqual(try Datum(text: "9", type: tag), Datum(keys: [.integer(9)]))
        XCTAssertEqual(try Datum(text: "[]", type: tag), Datum(keys: []))
        XCTAssertEqual(try Datum(text: "3,1-2", type: trunks), Datum(keys: [.integer(1), .integer(2), .integer(3)]))
        XCTAssertEqual(try Datum(text: #"{b=2, a="x y"}"#, type: map),
                       Datum(keys: [.string("a"), .string("b")], values: [.string("x y"), .string("2")]))
        XCTAssertEqual(try Datum(text: #"a\:b=c"#, type: map), Datum(keys: [.string("a:b")], values: [.string("c")]))
    }

    func testErrors() {
        XCTAssertEqual(error("abc", tag), "\"abc\" is not a valid integer or range")
        XCTAssertEqual(error("5000", tag), "constraint violation: 5000 is not in the valid range 0 to 4095 (inclusive)")
        XCTAssertEqual(error("", tag), "use \"[]\" to specify the empty set")
        XCTAssertEqual(error("1,2", tag), "1,2: 2 value(s) specified but the maximum number is 1")
        XCTAssertEqual(error("1,1", trunks), "1,1: set contains duplicate value")
        XCTAssertEqual(error("x", map), "x: syntax error at \"")
        XCTAssertEqual(error("{a=1", map), "{a=1: missing \"}\" at end of data")
        XCTAssertEqual(error(#""abc"#, ColumnType(key: BaseType(.string))), "\"abc: quoted string extends past end of argument")
        XCTAssertEqual(error(#""ab"c"#, ColumnType(key: BaseType(.string))), "\"ab\"c: missing quote at end of quoted string")
    }
}
