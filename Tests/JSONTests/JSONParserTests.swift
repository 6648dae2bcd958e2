import XCTest
@testable import JSON

final class JSONParserTests: XCTestCase {
    func testScalars() throws {
        XCTAssertEqual(try JSONParser.parse("null"), .null)
        XCTAssertEqual(try JSONParser.parse(" true "), .bool(true))
        XCTAssertEqual(try JSONParser.parse("false"), .bool(false))
        XCTAssertEqual(try JSONParser.parse("0"), .integer(0))
        XCTAssertEqual(try JSONParser.parse("-9223372036854775808"), .integer(.min))
        XCTAssertEqual(try JSONParser.parse("9223372036854775807"), .integer(.max))
        XCTAssertEqual(try JSONParser.parse("9223372036854775808"), .real(9223372036854775808))
        XCTAssertEqual(try JSONParser.parse("1.0"), .real(1))
        XCTAssertEqual(try JSONParser.parse("-2.5e3"), .real(-2500))
        XCTAssertEqual(try JSONParser.parse("1E-2"), .real(0.01))
    }

    func testStrings() throws {
        XCTAssertEqual(try JSONParser.parse(#""plain""#), .string("plain"))
        XCTAssertEqual(try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#), .string("a\"b\\c/d\n\té😀"))
        XCTAssertEqual(try JSONParser.parse("\"é\""), .string("é"))
    }

    func testContainers() throws {
        let v = try JSONParser.parse(#"{"a":[1,2.5,"x",{"b":null}],"c":{}, "d":[]}"#)
        XCTAssertEqual(v["a"], [1, 2.5, "x", ["b": nil]])
        XCTAssertEqual(v["c"], .object(JSONObject()))
        XCTAssertEqual(v["d"], .array([]))
        XCTAssertEqual(v.objectValue?.keys, ["a", "c", "d"])
    }

    func testDuplicateKeyLastWins() throws {
        XCTAssertEqual(try JSONParser.parse(#"{"a":1,"a":2}"#), ["a": 2])
    }

    func testErrorsNameThePlace() {
        XCTAssertThrowsError(try JSONParser.parse(#"["T",{"x":[1,2}]"#)) { e in
            let e = e as! JSONParseError
            XCTAssertEqual(e.description, "line 0, column 14, byte 14: syntax error expecting ']' or ','")
        }
        XCTAssertThrowsError(try JSONParser.parse("[1,\n  x]")) { e in
            XCTAssertEqual((e as! JSONParseError).line, 1)
            XCTAssertEqual((e as! JSONParseError).column, 2)
        }
    }

    func testRejectsMalformedInput() {
        let bad = [
            "", "   ", "[", "{", "[1,]", "{\"a\"}", "{\"a\":}", "{1:2}", "tru", "nul", "01", "-", "1.", "1e", "1.e5",
            "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\u0000\"", "\"a\u{01}b\"", "[1] 2",
            "truex", "[1 2]", "{\"a\":1 \"b\":2}", "NaN", "Infinity", "+1",
        ]
        for text in bad {
            XCTAssertThrowsError(try JSONParser.parse(text), "accepted \(text.debugDescription)")
        }
    }

    func testRejectsInvalidUTF8() {
        XCTAssertThrowsError(try JSONParser.parse(bytes: [0x22, 0xC3, 0x28, 0x22]))
        XCTAssertThrowsError(try JSONParser.parse(bytes: [0x22, 0x5C, 0x6E, 0xFF, 0x22]))
    }

    func testBoundsNesting() throws {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        XCTAssertThrowsError(try JSONParser.parse(deep))
        let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        XCTAssertNoThrow(try JSONParser.parse(ok))
    }

    func testTruncationAtEveryOffsetIsAnErrorNotACrash() {
        let text = Array(#"{"method":"transact","params":["Open_vSwitch",{"op":"insert","row":{"a":[1.5,"é\n"]}}],"id":0}"#.utf8)
        for n in 0..<text.count {
            XCTAssertThrowsError(try JSONParser.parse(bytes: Array(text[0..<n])))
        }
        XCTAssertNoThrow(try JSONParser.parse(bytes: text))
    }
}

final class UTF8ValidationTests: XCTestCase {
    func testAgreesWithTheStandardLibraryOnEveryShortSequence() {
        // Every 1- and 2-byte sequence, and 3/4-byte ones around the tricky boundaries.
        var cases: [[UInt8]] = []
        for a in 0...255 { cases.append([UInt8(a)]) }
        for a in 0xC0...0xF5 { for b in stride(from: 0, through: 255, by: 1) { cases.append([UInt8(a), UInt8(b)]) } }
        for lead: UInt8 in [0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5] {
            for b in stride(from: 0x70, through: 0xC0, by: 0x08) { cases.append([lead, UInt8(b), 0x80]); cases.append([lead, UInt8(b), 0x80, 0x80]) }
        }
        for bytes in cases {
            let ours = bytes.withUnsafeBufferPointer { JSONReader.isValidUTF8($0) }
            let stdlib = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(ours, stdlib, "\(bytes)")
        }
    }
}
