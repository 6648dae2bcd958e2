import JSON
import XCTest
@testable import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// Schema files fail to load with the messages of Open vSwitch's `ovsdb_schema_from_file()`.
final class DatabaseSchemaFileTests: XCTestCase {
    var path = ""

    override func setUp() {
        var template = Array("/tmp/ovsdb-schema-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        close(fd)
        path = String(cString: template)
    }

    override func tearDown() { unlink(path) }

    /// Writes `text` as the schema file and loads it; returns the error's text, if any.
    private func load(_ text: String) -> String? {
        let fd = open(path, O_WRONLY | O_TRUNC)
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        return loadError()
    }

    private func loadError() -> String? {
        do {
            _ = try DatabaseSchema(file: path)
            return nil
        } catch {
            return error.text
        }
    }

    func testReadsAValidSchema() throws {
        XCTAssertNil(load(JSONSerializer.string(TestSchema.json)))
        XCTAssertEqual(try DatabaseSchema(file: path).name, "T")
    }

    func testMissingFile() {
        unlink(path)
        XCTAssertEqual(loadError(), "failed to read schema: \"\(path)\" could not be read as JSON (error opening \"\(path)\": No such file or directory)")
    }

    func testNotJSON() {
        XCTAssertEqual(load(""), "failed to read schema: \"\(path)\" could not be read as JSON (line 0, column 0, byte 0: empty input stream)")
        XCTAssertEqual(load("\"hello\"\n"),
                       "failed to read schema: \"\(path)\" could not be read as JSON (line 0, column 6, byte 6: syntax error at beginning of input)")
    }

    func testInvalidSchemaNamesTheFile() {
        XCTAssertEqual(load(#"{"name":"X","tables":{"t":{"columns":{"a":{"type":"intege"}}}}}"#),
                       #"syntax ""intege"": syntax error: failed to parse "\#(path)" as ovsdb schema: "intege" is not an atomic-type"#)
    }

    func testVersionlessSchemaWritesNoVersion() throws {
        let schema = try DatabaseSchema(json: ["name": "X", "tables": ["t": ["columns": ["a": ["type": "integer"]]]]])
        XCTAssertNil(schema.json["version"])
        XCTAssertEqual(try DatabaseSchema(json: schema.json).version, "")
    }
}
