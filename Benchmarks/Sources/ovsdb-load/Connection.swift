import JSON
#if canImport(Glibc)
import Glibc
#endif

/// A bare blocking JSON-RPC connection over a unix socket, with as little client-side cost as
/// possible so that the server is what gets measured.
final class Connection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var nextID = 0

    init(path: String) {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = b }
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        precondition(ok == 0, "connect \(path) failed: \(String(cString: strerror(errno)))")
    }

    deinit { close(fd) }

    /// Sends a request and returns its id.
    @discardableResult
    func send(_ method: String, _ params: JSON) -> Int {
        nextID += 1
        let bytes = JSONSerializer.bytes(["id": .integer(Int64(nextID)), "method": .string(method), "params": params])
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            precondition(n > 0, "write failed")
            off += n
        }
        return nextID
    }

    /// The next message from the server.
    func receive() -> JSON {
        while true {
            if let (value, end) = nextValue() {
                start = end
                if start > 1 << 20 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return value
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(fd, &chunk, chunk.count)
            precondition(n > 0, "connection closed")
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Receives until the reply to `id` (dropping notifications).
    func reply(to id: Int) -> JSON {
        while true {
            let m = receive()
            if m["id"] == .integer(Int64(id)) { return m }
        }
    }

    func call(_ method: String, _ params: JSON) -> JSON { reply(to: send(method, params)) }

    private func nextValue() -> (JSON, Int)? {
        var depth = 0, inString = false, escaped = false
        var i = start
        while i < buffer.count {
            let b = buffer[i]
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
            } else if b == 0x22 {
                inString = true
            } else if b == 0x7B || b == 0x5B {
                depth += 1
            } else if b == 0x7D || b == 0x5D {
                depth -= 1
                if depth == 0 {
                    let v = buffer[start...i].withUnsafeBytes { try! JSONParser.parse($0) }
                    return (v, i + 1)
                }
            }
            i += 1
        }
        return nil
    }
}
