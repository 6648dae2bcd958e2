import JSON
import XCTest
@testable import OVSDB

/// The expected texts are what Open vSwitch 3.1's `ovsdb-tool -mm show-log` printed for the
/// same records.
final class LogPrinterTests: XCTestCase {
    private func show(_ records: [String], verbosity: Int) throws -> String {
        var printer = LogPrinter(verbosity: verbosity)
        var out = ""
        for r in records { try printer.print(try JSONParser.parse(r), to: &out) }
        return out
    }

    /// A database Open vSwitch's `ovsdb-tool` created and transacted on three times.
    private let records = [
        #"{"cksum":"123 45","name":"T","version":"1.2.3","tables":{"Child":{"columns":{"name":{"type":"string"},"x":{"type":"integer"}}},"Root":{"isRoot":true,"indexes":[["name"]],"columns":{"name":{"type":"string"},"children":{"type":{"max":"unlimited","min":0,"key":{"type":"uuid","refTable":"Child"}}},"opts":{"type":{"max":"unlimited","min":0,"key":"string","value":"string"}},"n":{"type":{"key":{"minInteger":0,"maxInteger":100,"type":"integer"}}},"status":{"ephemeral":true,"type":{"max":"unlimited","min":0,"key":"string","value":"string"}},"r":{"type":"real"},"tags":{"type":{"max":"unlimited","min":0,"key":"string"}}}}}}"#,
        #"{"_date":1795588621877,"Child":{"872ed0fb-c09c-4c6f-998a-383442fd5657":{"name":"kid","x":3}},"Root":{"7fc8c4ae-44f4-43f6-ace8-35f9f80aa9b5":{"name":"a","children":["uuid","872ed0fb-c09c-4c6f-998a-383442fd5657"],"opts":["map",[["k","v"]]],"n":5,"tags":["set",["x","y"]]}},"_is_diff":true,"_comment":"hello"}"#,
        #"{"_date":1795588621939,"Root":{"ad0000f2-8788-4f29-8cb9-1d5ef4fb2b7c":{"name":"b"},"7fc8c4ae-44f4-43f6-ace8-35f9f80aa9b5":{"n":7,"tags":["set",["x","z"]],"r":1.5}},"_is_diff":true}"#,
        #"{"_date":1795588621952,"Root":{"ad0000f2-8788-4f29-8cb9-1d5ef4fb2b7c":null},"_is_diff":true}"#,
    ]

    func testDatesAndCommentsOnly() throws {
        XCTAssertEqual(try show(records, verbosity: 0), """
            record 0: "T" schema, version="1.2.3", cksum="123 45"

            record 1: 2026-11-25 06:37:01.877 "hello"
            record 2: 2026-11-25 06:37:01.939
            record 3: 2026-11-25 06:37:01.952

            """)
    }

    func testRowsAndValuesInOpenVSwitchOrder() throws {
        XCTAssertEqual(try show(records, verbosity: 2), """
            record 0: "T" schema, version="1.2.3", cksum="123 45"

            record 1: 2026-11-25 06:37:01.877 "hello"
              table Child insert row "kid" (872ed0fb):
                name=kid
                x=3
              table Root insert row "a" (7fc8c4ae):
                name=a
                children=[872ed0fb-c09c-4c6f-998a-383442fd5657]
                n=5
                opts={k=v}
                tags=[x, y]

            record 2: 2026-11-25 06:37:01.939
              table Root insert row "b" (ad0000f2):
                name=b
              table Root row "a" (7fc8c4ae) diff:
                n=7
                r=1.5
                tags=[x, z]

            record 3: 2026-11-25 06:37:01.952
              table Root row "b" (ad0000f2) diff:
                delete row


            """)
    }

    /// Dates in seconds, renamed rows, values invalid for their column, unknown tables.
    func testOddRecords() throws {
        let odd = [
            #"{"name":"O","tables":{"T":{"columns":{"name":{"type":"string"},"m":{"type":{"key":"string","min":0,"max":1}},"s2":{"type":{"key":"integer","min":1,"max":2}}}}}}"#,
            #"{"_date":1000,"T":{"11111111-1111-4111-8111-111111111111":{"name":"x","s2":["set",[1,2]]}}}"#,
            #"{"_date":1795588621939,"_comment":"rename","T":{"11111111-1111-4111-8111-111111111111":{"name":"y","s2":["set",[1,2,3]]}},"_is_diff":true}"#,
            #"{"T":{"11111111-1111-4111-8111-111111111111":{"m":"z"}}}"#,
            #"{"T":{"22222222-2222-4222-8222-222222222222":{}},"Unknown":{"33333333-3333-4333-8333-333333333333":{"a":1,"name":["x"]}}}"#,
            #"{"T":{"11111111-1111-4111-8111-111111111111":null}}"#,
        ]
        XCTAssertEqual(try show(odd, verbosity: 2), """
            record 0: "O" schema, version="", cksum=""

            record 1: 1970-01-01 00:16:40.000
              table T insert row "x" (11111111):
                name=x
                s2=[1, 2]

            record 2: 2026-11-25 06:37:01.939 "rename"
              table T row "x" (11111111) diff:
                name=y
                s2=["set",[1,2,3]]

            record 3:
              table T row "y" (11111111):
                m=z

            record 4:
              table Unknown insert row ["x"] (33333333):
                name=["x"]
                a=1
              table T insert row 22222222:

            record 5:
              table T row "y" (11111111):
                delete row


            """)
    }

    func testBadSchemaRecordLeavesTheRecordNumber() {
        var printer = LogPrinter(verbosity: 0)
        var out = ""
        XCTAssertThrowsError(try printer.print(["tables": [:]], to: &out))
        XCTAssertEqual(out, "record 0:")
    }
}
