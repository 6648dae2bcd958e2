import JSON
import XCTest
@testable import OVSDB

/// Expected outputs are Debian's Open vSwitch 3.1 (`lib/table.c`) for the same tables.
final class TableFormatterTests: XCTestCase {
    let setType = ColumnType(key: BaseType(.integer), min: 0, max: .max)
    let mapType = ColumnType(key: BaseType(.string), value: BaseType(.string), min: 0, max: .max)
    let stringType = ColumnType(key: BaseType(.string))

    func sample() -> TextTable {
        var t = TextTable(headings: ["name", "trunks", "external_ids"], caption: "Port table")
        t.addRow([.datum("p1", stringType), .datum(["set", [1, 2]], setType), .datum(["map", [["k", "a b"]]], mapType)])
        t.addRow([.datum("", stringType), .datum(7, setType), .empty])
        return t
    }

    func render(_ style: TableStyle, _ tables: [TextTable]) -> String {
        var f = TableFormatter(style: style)
        return tables.map { String(decoding: f.format($0), as: UTF8.self) }.joined()
    }

    func testTableFormatPadsTrimsAndSeparatesTables() {
        let out = render(TableStyle(format: .table), [sample(), sample()])
        let one = """
            Port table
            name trunks external_ids
            ---- ------ ------------
            p1   [1, 2] {k="a b"}
            ""   [7]

            """
        XCTAssertEqual(out, one + "\n" + one)
    }

    func testMaxColumnWidthCutsCellsNotHeadings() {
        var style = TableStyle(format: .table)
        style.maxColumnWidth = 3
        // Headings widen their columns again...
        XCTAssertEqual(render(style, [sample()]), render(TableStyle(format: .table), [sample()]))
        // ...so only without them are cells cut.
        style.headings = false
        XCTAssertEqual(render(style, [sample()]), "Port table\np1 [1, {k=\n\"\" [7]\n")
    }

    func testListBareAndCSV() {
        XCTAssertEqual(render(TableStyle(format: .list), [sample()]), """
            Port table
            name                : p1
            trunks              : [1, 2]
            external_ids        : {k="a b"}

            name                : ""
            trunks              : [7]
            external_ids        : \n
            """)
        var bare = TableStyle()
        bare.setBare()
        XCTAssertEqual(render(bare, [sample()]), "Port table\np1\n1 2\nk=a b\n\n\n7\n\n")
        XCTAssertEqual(render(TableStyle(format: .csv), [sample()]),
                       "Port table\nname,trunks,external_ids\np1,\"[1, 2]\",\"{k=\"\"a b\"\"}\"\n\"\"\"\"\"\",[7],\n")
    }

    func testJSONKeepsRawCellsAndSortsMembers() {
        XCTAssertEqual(render(TableStyle(format: .json), [sample()]),
                       #"{"caption":"Port table","data":[["p1",["set",[1,2]],["map",[["k","a b"]]]],["",7,null]],"headings":["name","trunks","external_ids"]}"#
                        + "\n")
    }

    func testHTMLLinksUUIDs() {
        let u = "0caabc2e-d5e8-47ce-8b49-7384f8570368"
        var t = TextTable(headings: ["_uuid", "ref"])
        t.addRow([.text(u), .text("[\(u)] <&>")])
        XCTAssertEqual(render(TableStyle(format: .html), [t]), """
            <table border=1>
              <tr>
                <th>_uuid</th>
                <th>ref</th>
              </tr>
              <tr>
                <td><a name="\(u)">0caabc2e</a></td>
                <td>[<a href="#\(u)">0caabc2e</a>] &lt;&amp;&gt;</td>
              </tr>
            </table>

            """)
    }

    func testInvalidDataFallsBackToJSON() {
        var t = TextTable(headings: ["n"])
        t.addRow([.datum(["set", [1, 1]], setType)])
        XCTAssertEqual(render(TableStyle(format: .list), [t]), "n                   : [\"set\",[1,1]]\n")
    }
}
