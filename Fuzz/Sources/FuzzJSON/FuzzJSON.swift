import JSON

/// Any bytes: the parser either fails cleanly or returns a value that serializes and parses
/// back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let value = try? JSONParser.parse(UnsafeRawBufferPointer(start: data, count: size)) else { return 0 }
    let text = JSONSerializer.string(value)
    guard let again = try? JSONParser.parse(text) else { fatalError("serializer wrote unparsable JSON: \(text)") }
    // Reals print with 15 digits, so only compare values without them.
    if !text.contains(".") && !text.contains("e") && again != value { fatalError("round trip changed \(text)") }
    return 0
}
