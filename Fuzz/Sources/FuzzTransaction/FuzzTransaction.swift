import FuzzSupport
import JSON
import OVSDB

/// The Open_vSwitch schema, read once.
let schema: DatabaseSchema = try! DatabaseSchema(file: "schemas/vswitch.ovsschema")

/// A database with a bridge, port and interface in it, so that operations have rows to hit.
func seededDatabase() -> Database {
    let db = Database(schema: schema)
    let seed: JSON = [
        ["op": "insert", "table": "Open_vSwitch", "row": ["bridges": ["named-uuid", "b"]]],
        ["op": "insert", "table": "Bridge", "uuid-name": "b", "row": ["name": "br0", "ports": ["named-uuid", "p"]]],
        ["op": "insert", "table": "Port", "uuid-name": "p", "row": ["name": "p0", "interfaces": ["named-uuid", "i"]]],
        ["op": "insert", "table": "Interface", "uuid-name": "i", "row": ["name": "p0", "external_ids": ["map", [["k", "v"]]]]],
    ]
    _ = Execution.run(seed.arrayValue![...], on: db)
    return db
}

/// Any transact params: execution answers with results or errors and the database stays
/// consistent (every strong reference resolves, every index stays unique).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let json = try? JSONParser.parse(UnsafeRawBufferPointer(start: data, count: size)), let ops = json.arrayValue else { return 0 }
    let db = seededDatabase()
    switch Execution.run(ops[...], on: db) {
    case .completed(let results, _):
        guard results.arrayValue != nil else { fatalError("results are not an array") }
    case .blocked:
        break
    }
    // A follow-up select over every table must work on whatever state was committed.
    let selects: [JSON] = schema.tables.map { ["op": "select", "table": .string($0.name), "where": []] }
    guard case .completed(let r, _) = Execution.run(selects[...], on: db), r.arrayValue?.count == selects.count else {
        fatalError("database unreadable after a transaction")
    }
    return 0
}

@_cdecl("FuzzTransaction_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
