import XCTest
@testable import JSON

final class JSONSerializerTests: XCTestCase {
    func testCompactOutputMatchesOpenVSwitch() {
        let v: JSON = ["rows": [["r": 1.5e-7, "s": "a/é\u{01}\t\"\\"], ["r": 1e300, "n": -42, "b": true, "z": nil]]]
        XCTAssertEqual(
            JSONSerializer.string(v),
            #"{"rows":[{"r":1.5e-07,"s":"a/é\u0001\t\"\\"},{"r":1e+300,"n":-42,"b":true,"z":null}]}"#)
    }

    func testRealsUseFifteenSignificantDigits() {
        XCTAssertEqual(JSON.real(123456789012345678).description, "1.23456789012346e+17")
        XCTAssertEqual(JSON.real(1).description, "1")
        XCTAssertEqual(JSON.real(0.1).description, "0.1")
        XCTAssertEqual(JSON.integer(.min).description, "-9223372036854775808")
    }

    func testPrettyAndSorted() {
        let v: JSON = ["b": [1, 2], "a": [:]]
        XCTAssertEqual(JSONSerializer.string(v, options: [.pretty, .sortedKeys]), "{\n  \"a\": {\n    },\n  \"b\": [\n    1,\n    2]}")
    }

    func testRoundTrip() throws {
        let text = #"{"a":[1,2.5,"x\u0000y",{"b":null,"c":false}],"é":"\ud83d\ude00"}"#
        // \u0000 is refused on input, so build the value directly.
        let v: JSON = ["a": [1, 2.5, "x\ny", ["b": nil, "c": false]], "é": "😀"]
        XCTAssertEqual(try JSONParser.parse(JSONSerializer.string(v)), v)
        XCTAssertThrowsError(try JSONParser.parse(text))
    }
}
