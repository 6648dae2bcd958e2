import FuzzSupport
import JSONRPC
import NIOCore

/// Any byte stream, cut into chunks at the first byte's whim: the decoder yields messages or
/// fails cleanly, never crashes or loops.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let first = bytes.first else { return 0 }
    let chunk = Int(first % 16) + 1
    var decoder = JSONRPCDecoder(maximumMessageLength: 1 << 16)
    var buffer = ByteBuffer()
    var offset = 1
    while offset < size {
        let end = min(size, offset + chunk)
        buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset..<end])))
        offset = end
        do {
            while let message = try decoder.nextMessage(&buffer) { _ = message.json }
        } catch {
            return 0
        }
    }
    return 0
}

@_cdecl("FuzzJSONRPC_main")
public func main(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    runFuzzer(argc, argv) { data, size in fuzz(data, size) }
}
