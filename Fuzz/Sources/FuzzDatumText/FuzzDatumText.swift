import FuzzSupport
import OVSDB

/// Every column type of the Open_vSwitch schema, the types ovs-vsctl parses values for.
let types: [ColumnType] = {
    let schema = try! DatabaseSchema(file: "schemas/vswitch.ovsschema")
    return schema.tables.flatMap { $0.columns.map(\.type) }
}()

/// The first byte picks a column type, the rest is the text: parsing either fails with a
/// message or yields a datum of that type (sorted, distinct, within its size bounds and
/// constraints) that reads back the same from its own printed form.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let type = types[Int(data[0]) % types.count]
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    var symbols: [String: UUID] = [:]
    let resolve: SymbolResolver = { name, _ in
        if let u = symbols[name] { return u }
        let u = UUID.random()
        symbols[name] = u
        return u
    }
    guard let datum = try? Datum(text: text, type: type, symbols: resolve) else { return 0 }
    guard datum.count >= type.min, datum.count <= type.max else { fatalError("size out of bounds: \(text)") }
    for i in datum.keys.indices.dropFirst() where !(datum.keys[i - 1] < datum.keys[i]) {
        fatalError("keys not sorted and distinct: \(text)")
    }
    for k in datum.keys { try! type.key.check(k) }
    if let v = type.value, let values = datum.values { for x in values { try! v.check(x) } }
    if type.key.type != .real && type.value?.type != .real {
        let again = try! Datum(text: datum.text(type), type: type, symbols: resolve)
        guard again == datum else { fatalError("printed form reads back differently: \(text)") }
    }
    return 0
}

@_cdecl("FuzzDatumText_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
