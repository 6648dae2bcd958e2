import JSON
#if canImport(Glibc)
import Glibc
#endif
import OVSDB

/// add-zone-tp, del-zone-tp, list-zone-tp (connection-tracking timeout policies per zone of a
/// datapath) and list-dp-cap (a datapath's capabilities).
enum ZoneCommands {
    static func zonePrerequisites(_ p: inout Prerequisites) {
        p.add("Open_vSwitch", "datapaths")
        p.add("Datapath", "ct_zones")
        p.add("CT_Zone", "timeout_policy")
        p.add("CT_Timeout_Policy", "timeouts")
    }

    static func capabilityPrerequisites(_ p: inout Prerequisites) {
        p.add("Open_vSwitch", "datapaths")
        p.add("Datapath", "capabilities")
    }

    private static func datapath(_ ctx: Context, _ name: String) -> UUID? {
        let map = ctx.value("Open_vSwitch", ctx.openVSwitch, "datapaths")
        guard let i = map.index(of: .string(name)) else { return nil }
        return map.values?[i].uuidValue
    }

    /// `zone=N` (`ovs_scan` with `%i`: decimal, octal or hex).
    private static func zoneID(_ s: String) -> Int64 {
        guard s.hasPrefix("zone=") else { return 0 }
        return s.dropFirst(5).withCString { strtoll($0, nil, 0) }
    }

    private static func zone(_ ctx: Context, _ dp: UUID, _ id: Int64) -> UUID? {
        let zones = ctx.value("Datapath", dp, "ct_zones")
        guard let i = zones.index(of: .integer(id)) else { return nil }
        return zones.values?[i].uuidValue
    }

    static func addZone(_ ctx: Context) throws {
        let dpName = ctx.argv[1]
        let id = zoneID(ctx.argv[2])
        guard let dp = datapath(ctx, dpName) else { throw VsctlError.fatal("datapath \(dpName) does not exist") }
        let existing = zone(ctx, dp, id)
        if ctx.argv.count <= 3 { throw VsctlError.fatal("No timeout policy") }
        if existing != nil && !ctx.has("--may-exist") { throw VsctlError.fatal("zone id \(UInt64(bitPattern: id)) already exists") }
        let policy = timeoutPolicy(ctx, Array(ctx.argv[3...]))
        if let existing {
            ctx.write("CT_Zone", existing, "timeout_policy", uuids: [policy])
        } else {
            let zone = ctx.transaction.insert("CT_Zone")
            ctx.write("CT_Zone", zone, "timeout_policy", uuids: [policy])
            ctx.transaction.mutateDelete("Datapath", dp, "ct_zones", Datum(keys: [.integer(id)]))
            ctx.transaction.mutateInsert("Datapath", dp, "ct_zones", Datum(keys: [.integer(id)], values: [.uuid(zone)]))
        }
    }

    /// An existing CT_Timeout_Policy with exactly these timeouts, or a new one.
    private static func timeoutPolicy(_ ctx: Context, _ args: [String]) -> UUID {
        var wanted: [String: Int64] = [:]
        for arg in args {
            guard let sep = arg.firstIndex(where: { $0 == "=" || $0 == ":" }) else { break }
            wanted[String(arg[..<sep])] = Int64(Int32(truncatingIfNeeded: BridgeCommands.atoiLike(String(arg[arg.index(after: sep)...]))))
        }
        for row in ctx.transaction.rows("CT_Timeout_Policy") {
            let t = ctx.value("CT_Timeout_Policy", row, "timeouts")
            var have: [String: Int64] = [:]
            for i in t.keys.indices {
                if let k = t.keys[i].stringValue, case .integer(let v)? = t.values?[i] { have[k] = Int64(UInt32(truncatingIfNeeded: v)) }
            }
            if have == wanted.mapValues({ Int64(UInt32(truncatingIfNeeded: $0)) }) { return row }
        }
        let row = ctx.transaction.insert("CT_Timeout_Policy")
        let keys = wanted.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        ctx.write("CT_Timeout_Policy", row, "timeouts",
                  Datum(keys: keys.map { .string($0) }, values: keys.map { .integer(wanted[$0]!) }))
        return row
    }

    static func deleteZone(_ ctx: Context) throws {
        let dpName = ctx.argv[1]
        let id = zoneID(ctx.argv[2])
        guard let dp = datapath(ctx, dpName) else { throw VsctlError.fatal("datapath \(dpName) does not exist") }
        let existing = zone(ctx, dp, id)
        if existing == nil && !ctx.has("--if-exists") {
            throw VsctlError.fatal("zone id \(UInt64(bitPattern: id)) does not exist")
        }
        if existing != nil {
            ctx.transaction.mutateDelete("Datapath", dp, "ct_zones", Datum(keys: [.integer(id)]))
        }
    }

    static func listZones(_ ctx: Context) throws {
        guard let dp = datapath(ctx, ctx.argv[1]) else { throw VsctlError.fatal("datapath: \(ctx.argv[1]) record not found") }
        let zones = ctx.value("Datapath", dp, "ct_zones")
        for i in zones.keys.indices {
            guard case .integer(let id) = zones.keys[i], let zone = zones.values?[i].uuidValue else { continue }
            var line = "Zone:\(UInt64(bitPattern: id)), Timeout Policies: "
            if let policy = ctx.uuids("CT_Zone", zone, "timeout_policy").first {
                let t = ctx.value("CT_Timeout_Policy", policy, "timeouts")
                for j in t.keys.indices {
                    if case .integer(let v)? = t.values?[j] {
                        line += "\(t.keys[j].stringValue ?? "")=\(UInt64(bitPattern: v)) "
                    }
                }
            } else {
                line += "system default"
            }
            while line.hasSuffix(" ") { line.removeLast() }
            ctx.output += line + "\n"
        }
    }

    static func listCapabilities(_ ctx: Context) throws {
        guard let dp = datapath(ctx, ctx.argv[1]) else {
            throw VsctlError.fatal("datapath \"\(ctx.argv[1])\" record not found")
        }
        let caps = ctx.value("Datapath", dp, "capabilities")
        var pairs: [String: String] = [:]
        for i in caps.keys.indices { pairs[caps.keys[i].stringValue ?? ""] = caps.values?[i].stringValue ?? "" }
        // An smap iterates in hash order.
        var line = ShashOrder(caps.keys.compactMap(\.stringValue)).keys.map { "\($0)=\(pairs[$0]!) " }.joined()
        while line.hasSuffix(" ") { line.removeLast() }
        ctx.output += line + "\n"
    }
}
