import FuzzSupport
import JSON

/// Any bytes: the parser either fails cleanly or returns a value that serializes and parses
/// back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let value = try? JSONParser.parse(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let text = JSONSerializer.string(value)
    guard let again = try? JSONParser.parse(text) else { fatalError("serializer wrote unparsable JSON: \(text)") }
    // Reals print with 15 significant digits (and 1.0 as 1), so only values without reals
    // must come back identical.
    if !containsReal(value) && again != value { fatalError("round trip changed \(text)") }
    return 0
}

func containsReal(_ v: JSON) -> Bool {
    switch v {
    case .real: return true
    case .array(let a): return a.contains(where: containsReal)
    case .object(let o): return o.contains { containsReal($0.value) }
    default: return false
    }
}

@_cdecl("FuzzJSON_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
