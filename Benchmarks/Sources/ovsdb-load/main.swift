import JSON
#if canImport(Glibc)
import Glibc
#endif

/// ovsdb-load SOCKET CTL: the OVSDB load generator behind BENCHMARKS.md. It runs the same
/// workload against whichever ovsdb-server listens on SOCKET (ours or Open vSwitch's) and
/// prints one JSON object of results.
let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: ovsdb-load SOCKET [SECONDS_PER_ROW]")
    exit(2)
}
let socketPath = args[1]
let seconds = args.count > 2 ? Double(args[2]) ?? 3.0 : 3.0

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// One small transaction: a map mutation of the Open_vSwitch row, as daemons make all day.
func transaction(_ i: Int, durable: Bool) -> JSON {
    var ops: [JSON] = ["Open_vSwitch", ["op": "mutate", "table": "Open_vSwitch", "where": [],
        "mutations": [["external_ids", "insert", ["map", [[.string("k\(i % 64)"), .string("v\(i)")]]]], ["next_cfg", "+=", 1]]]]
    if durable { ops.append(["op": "commit", "durable": true]) }
    return .array(ops)
}

/// Monitor connections, each drained by its own thread so the server never blocks on them.
final class Monitors {
    var threads: [pthread_t] = []
    init(count: Int) {
        for i in 0..<count {
            let c = Connection(path: socketPath)
            _ = c.call("monitor_cond", ["Open_vSwitch", .string("m\(i)"), ["Open_vSwitch": [["columns": ["external_ids", "next_cfg"]]]]])
            let box = Unmanaged.passRetained(c)
            var t = pthread_t()
            pthread_create(&t, nil, { arg in
                let c = Unmanaged<Connection>.fromOpaque(arg!).takeUnretainedValue()
                while true { _ = c.receive() }
            }, box.toOpaque())
            threads.append(t)
        }
    }
}

func sequential(_ c: Connection, durable: Bool) -> Double {
    var n = 0
    let t0 = now()
    while now() - t0 < seconds {
        let r = c.call("transact", transaction(n, durable: durable))
        precondition(r["error"] == .null, "\(r)")
        n += 1
    }
    return Double(n) / (now() - t0)
}

func pipelined(_ c: Connection, window: Int = 64) -> Double {
    var sent = 0, done = 0
    var outstanding: [Int] = []
    let t0 = now()
    while now() - t0 < seconds {
        while outstanding.count < window {
            outstanding.append(c.send("transact", transaction(sent, durable: false)))
            sent += 1
        }
        _ = c.reply(to: outstanding.removeFirst())
        done += 1
    }
    for id in outstanding { _ = c.reply(to: id) }
    return Double(done) / (now() - t0)
}

let main = Connection(path: socketPath)
_ = main.call("transact", ["Open_vSwitch", ["op": "insert", "table": "Open_vSwitch", "row": [:]]])

/// `--ports N`: a bridge with N ports (and interfaces, with the external_ids a VM port has),
/// added 100 per transaction; prints the seconds it took.
if args.contains("--ports") {
    let total = Int(args[args.firstIndex(of: "--ports")! + 1])!
    let t0 = now()
    _ = main.call("transact", ["Open_vSwitch",
        ["op": "insert", "table": "Bridge", "uuid-name": "b", "row": ["name": "br-bench"]],
        ["op": "mutate", "table": "Open_vSwitch", "where": [], "mutations": [["bridges", "insert", ["set", [["named-uuid", "b"]]]]]]])
    var i = 0
    while i < total {
        var ops: [JSON] = ["Open_vSwitch"]
        var names: [JSON] = []
        for k in i..<min(total, i + 100) {
            let name = JSON.string("vif\(k).0")
            ops.append(["op": "insert", "table": "Interface", "uuid-name": .string("i\(k)"), "row": [
                "name": name, "external_ids": ["map", [["iface-id", .string("port-\(k)")], ["attached-mac", "52:54:00:12:34:56"],
                                                      ["vm-id", .string("vm-\(k)")], ["iface-status", "active"]]]]])
            ops.append(["op": "insert", "table": "Port", "uuid-name": .string("p\(k)"), "row": [
                "name": name, "interfaces": ["named-uuid", .string("i\(k)")], "tag": .integer(Int64(k % 4094 + 1))]])
            names.append(["named-uuid", .string("p\(k)")])
        }
        ops.append(["op": "mutate", "table": "Bridge", "where": [["name", "==", "br-bench"]], "mutations": [["ports", "insert", ["set", .array(names)]]]])
        let r = main.call("transact", .array(ops))
        precondition(r["result"]?.arrayValue?.allSatisfy { $0["error"] == nil } ?? false, "\(r)")
        i += 100
    }
    print(JSONSerializer.string(["load_seconds": .real(now() - t0)]))
    exit(0)
}

var results = JSONObject()
var monitors: [Monitors] = []
for m in [0, 10, 100] {
    if m > 0 { monitors.append(Monitors(count: m - monitors.reduce(0) { $0 + $1.threads.count })) }
    results["sequential_tps_\(m)_monitors"] = .real(sequential(main, durable: false).rounded())
    results["pipelined_tps_\(m)_monitors"] = .real(pipelined(main).rounded())
    results["durable_tps_\(m)_monitors"] = .real(sequential(main, durable: true).rounded())
}
print(JSONSerializer.string(.object(results)))
