import JSON
import OVSDB
@testable import VSctl
import XCTest

final class VsctlTests: XCTestCase {
    /// The compiled-in schema is the one the repository ships.
    func testBuiltInSchemaIsTheShippedOne() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shipped = try String(contentsOf: root.appendingPathComponent("schemas/vswitch.ovsschema"), encoding: .utf8)
        XCTAssertEqual(shipped.trimmingCharacters(in: .newlines), VSwitchSchema.text.trimmingCharacters(in: .newlines))
        XCTAssertEqual(VSwitchSchema.schema.version, "8.3.1")
    }

    func testCommandParsingErrors() {
        XCTAssertThrowsError(try ParsedCommand.parseAll(["nosuch"], firstOptions: [])) {
            XCTAssertEqual($0 as? VsctlError, .fatal("unknown command 'nosuch'; use --help for help"))
        }
        XCTAssertThrowsError(try ParsedCommand.parseAll(["--if-exists", "add-br", "x"], firstOptions: [])) {
            XCTAssertEqual($0 as? VsctlError, .fatal("'add-br' command has no '--if-exists' option"))
        }
        XCTAssertThrowsError(try ParsedCommand.parseAll(["del-br", "a", "b", "--if-exists"], firstOptions: [])) {
            XCTAssertEqual($0 as? VsctlError, .fatal("'del-br' command takes at most 1 arguments (note that options must precede command names and follow a \"--\" argument)"))
        }
        XCTAssertEqual(try ParsedCommand.parseAll(["add-br", "a", "--", "list-br"], firstOptions: []).map(\.syntax.name), ["add-br", "list-br"])
    }

    func testNameMatchingAndArgumentsMarkup() throws {
        XCTAssertEqual(try NameMatching.table("bri", in: VSwitchSchema.schema).name, "Bridge")
        XCTAssertThrowsError(try NameMatching.table("f", in: VSwitchSchema.schema)) {
            XCTAssertEqual($0 as? VsctlError, .fatal("\"f\" matches multiple table names: Flow_Sample_Collector_Set, Flow_Table"))
        }
        XCTAssertEqual(Usage.completionArguments("BRIDGE NEW-PORT [COLUMN[:KEY]=VALUE]..."), "!BRIDGE !NEW-PORT *COLUMN?:KEY=VALUE")
        XCTAssertEqual(Usage.completionArguments("[BRIDGE] PORT|IFACE"), "?BRIDGE !PORT|IFACE")
    }
}
