import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// add-aa-mapping, del-aa-mapping, get-aa-mapping: Auto Attach I-SID to VLAN mappings.
enum AutoAttachCommands {
    static func prerequisites(_ p: inout Prerequisites) {
        BridgeCache.prerequisites(&p)
        p.add("Bridge", "auto_attach")
        p.add("AutoAttach", "mappings")
    }

    /// `strtoull` that must consume at least one character.
    private static func number(_ s: String) throws -> Int64 {
        let v = s.withCString { p -> Int64? in
            var end: UnsafeMutablePointer<CChar>?
            let v = strtoull(p, &end, 10)
            return end == UnsafeMutablePointer(mutating: p) ? nil : Int64(bitPattern: UInt64(v))
        }
        guard let v else { throw VsctlError.fatal("Invalid argument \(s)") }
        return v
    }

    private static func bridgeRow(_ ctx: Context) throws -> UUID {
        var br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        if let parent = br.parent { br = parent }
        return br.row!
    }

    static func addMapping(_ ctx: Context) throws {
        let isid = try number(ctx.argv[2]), vlan = try number(ctx.argv[3])
        let br = try bridgeRow(ctx)
        var aa = ctx.uuids("Bridge", br, "auto_attach").first
        if aa == nil {
            aa = ctx.transaction.insert("AutoAttach")
            ctx.write("Bridge", br, "auto_attach", uuids: [aa!])
        }
        var mappings = ctx.value("AutoAttach", aa!, "mappings")
        mappings.insert(Datum(keys: [.integer(isid)], values: [.integer(vlan)]))
        ctx.write("AutoAttach", aa!, "mappings", mappings)
    }

    static func deleteMapping(_ ctx: Context) throws {
        let isid = try number(ctx.argv[2]), vlan = try number(ctx.argv[3])
        let br = try bridgeRow(ctx)
        guard let aa = ctx.uuids("Bridge", br, "auto_attach").first else { return }
        let mappings = ctx.value("AutoAttach", aa, "mappings")
        guard let values = mappings.values,
              mappings.keys.indices.contains(where: { mappings.keys[$0] == .integer(isid) && values[$0] == .integer(vlan) }) else { return }
        // Open vSwitch keeps only the pairs that differ from the deleted one in both I-SID and
        // VLAN; scripts see that behaviour, so it is kept.
        var keys: [Atom] = [], kept: [Atom] = []
        for i in mappings.keys.indices where mappings.keys[i] != .integer(isid) && values[i] != .integer(vlan) {
            keys.append(mappings.keys[i])
            kept.append(values[i])
        }
        ctx.write("AutoAttach", aa, "mappings", Datum(keys: keys, values: kept))
    }

    static func getMappings(_ ctx: Context) throws {
        let br = try bridgeRow(ctx)
        ctx.verify("Bridge", br, "auto_attach")
        guard let aa = ctx.uuids("Bridge", br, "auto_attach").first else { return }
        ctx.verify("AutoAttach", aa, "mappings")
        let mappings = ctx.value("AutoAttach", aa, "mappings")
        for i in mappings.keys.indices {
            ctx.output += "\(mappings.keys[i].text) \(mappings.values![i].text)\n"
        }
    }
}
