import JSON
#if canImport(Glibc)
import Glibc
#endif

/// json-bench FILE: milliseconds to parse and to serialize FILE with our JSON module (best of
/// 20 runs each), printed as JSON for scripts/bench.sh, which times Python's json beside it.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

let path = CommandLine.arguments[1]
let fd = open(path, O_RDONLY)
var st = stat()
fstat(fd, &st)
var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
_ = read(fd, &bytes, bytes.count)
close(fd)

var parse = Double.infinity, serialize = Double.infinity
var value = JSON.null
for _ in 0..<20 {
    let t0 = now()
    value = try! JSONParser.parse(bytes: bytes)
    parse = min(parse, now() - t0)
    let t1 = now()
    let out = JSONSerializer.bytes(value)
    serialize = min(serialize, now() - t1)
    precondition(out.count > 0)
}
print(JSONSerializer.string(["parse_ms": .real(parse), "serialize_ms": .real(serialize), "bytes": .integer(Int64(bytes.count))]))
