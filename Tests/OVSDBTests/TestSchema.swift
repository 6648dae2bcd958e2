import JSON
@testable import OVSDB

/// A small schema that exercises every kind of column the engine treats specially.
enum TestSchema {
    static let json: JSON = try! JSONParser.parse(#"""
    {"name": "T", "version": "1.0.0", "tables": {
      "Root": {"isRoot": true, "columns": {
        "name": {"type": "string"},
        "children": {"type": {"key": {"type": "uuid", "refTable": "Child"}, "min": 0, "max": "unlimited"}},
        "watch": {"type": {"key": {"type": "uuid", "refTable": "Child", "refType": "weak"}, "min": 0, "max": "unlimited"}},
        "n": {"type": {"key": {"type": "integer", "minInteger": 0, "maxInteger": 100}}},
        "tags": {"type": {"key": "string", "min": 0, "max": "unlimited"}},
        "opts": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}},
        "mode": {"type": {"key": {"type": "string", "enum": ["set", ["a", "b"]]}, "min": 0, "max": 1}},
        "fixed": {"type": "string", "mutable": false},
        "status": {"type": {"key": "string", "value": "string", "min": 0, "max": "unlimited"}, "ephemeral": true}},
        "indexes": [["name"]]},
      "Child": {"columns": {
        "name": {"type": "string"},
        "grandchild": {"type": {"key": {"type": "uuid", "refTable": "Leaf"}, "min": 0, "max": 1}}}},
      "Leaf": {"columns": {"x": {"type": "integer"}}},
      "Single": {"isRoot": true, "maxRows": 1, "columns": {"v": {"type": "integer"}}}
    }}
    """#)

    static let schema = try! DatabaseSchema(json: json)

    static func database() -> Database { Database(schema: schema) }
}

extension Database {
    /// Runs one transact request (without the database name) and returns its result array.
    @discardableResult
    func transact(_ operations: JSON) -> [JSON] {
        guard case .completed(let results, _) = Execution.run(operations.arrayValue![...], on: self) else {
            fatalError("transaction blocked")
        }
        return results.arrayValue!
    }

    func count(_ table: String) -> Int { tables[schema.position(of: table)!].rows.count }
}

extension JSON {
    /// The "error" member of a result, if it is an error object.
    var errorName: String? { self["error"]?.stringValue }
}
