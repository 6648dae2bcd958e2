import JSON
import OVSDB

/// The `_Server` database: one row per database the server hosts, which Open vSwitch's IDL
/// reads to learn each database's model, connection state and schema.
enum ServerSchema {
    static let json: JSON = [
        "name": "_Server",
        "version": "1.2.0",
        "cksum": "3009684573 744",
        "tables": [
            "Database": [
                "isRoot": true,
                "columns": [
                    "name": ["type": "string"],
                    "model": ["type": ["key": ["type": "string", "enum": ["set", ["standalone", "clustered", "relay"]]]]],
                    "connected": ["type": "boolean"],
                    "leader": ["type": "boolean"],
                    "schema": ["type": ["key": ["type": "string"], "min": 0, "max": 1]],
                    "cid": ["type": ["key": ["type": "uuid"], "min": 0, "max": 1]],
                    "sid": ["type": ["key": ["type": "uuid"], "min": 0, "max": 1]],
                    "index": ["type": ["key": ["type": "integer"], "min": 0, "max": 1]],
                ],
            ]
        ],
    ]

    static let schema: DatabaseSchema = try! DatabaseSchema(json: json)

    /// The row describing `database` (a standalone database, always connected and leader).
    static func row(for database: Database, uuid: UUID) -> Row {
        let table = schema.tables[0]
        var row = Row(defaultsFor: table, uuid: uuid)
        func set(_ name: String, _ atom: Atom) { row.values[table.position(of: name)!] = Datum(atom: atom) }
        set("name", .string(database.name))
        set("model", .string("standalone"))
        set("connected", .boolean(true))
        set("leader", .boolean(true))
        set("schema", .string(JSONSerializer.string(database.schema.json)))
        return row
    }
}
