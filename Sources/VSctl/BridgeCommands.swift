import OVSDB

/// add-br, del-br, list-br, br-exists, br-to-vlan, br-to-parent, br-set/get-external-id.
enum BridgeCommands {
    static func addBridge(_ ctx: Context) throws {
        let mayExist = ctx.has("--may-exist")
        let name = ctx.argv[1]
        if name.isEmpty { throw VsctlError.fatal("bridge name must not be empty string") }
        var parentName: String?
        var vlan = 0
        switch ctx.argv.count {
        case 2: break
        case 4:
            parentName = ctx.argv[2]
            vlan = Int(atoiLike(ctx.argv[3]))
            if vlan < 0 || vlan > 4095 { throw VsctlError.fatal("\(ctx.argv[0]): vlan must be between 0 and 4095") }
        default:
            throw VsctlError.fatal("'\(ctx.argv[0])' command takes exactly 1 or 3 arguments")
        }

        if mayExist, let br = try ctx.findBridge(name, mustExist: false) {
            if let parentName {
                guard let parent = br.parent else {
                    throw VsctlError.fatal("\"--may-exist add-br \(name) \(parentName) \(vlan)\" but \(name) is not a VLAN bridge")
                }
                if parent.name != parentName {
                    throw VsctlError.fatal("\"--may-exist add-br \(name) \(parentName) \(vlan)\" but \(name) has the wrong parent \(parent.name)")
                }
                if br.vlan != vlan {
                    throw VsctlError.fatal("\"--may-exist add-br \(name) \(parentName) \(vlan)\" but \(name) is a VLAN bridge for the wrong VLAN \(br.vlan)")
                }
            } else if br.parent != nil {
                throw VsctlError.fatal("\"--may-exist add-br \(name)\" but \(name) is a VLAN bridge for VLAN \(br.vlan)")
            }
            return
        }
        try ctx.checkConflicts(name, "cannot create a bridge named \(name)")

        let iface = ctx.transaction.insert("Interface")
        ctx.write("Interface", iface, "name", string: name)
        ctx.write("Interface", iface, "type", string: "internal")
        let port = ctx.transaction.insert("Port")
        ctx.write("Port", port, "name", string: name)
        ctx.write("Port", port, "interfaces", uuids: [iface])

        if let parentName {
            let parent = try ctx.findBridge(parentName, mustExist: false)
            if let parent, parent.parent != nil {
                throw VsctlError.fatal("cannot create bridge with fake bridge as parent")
            }
            guard let parent else { throw VsctlError.fatal("parent bridge \(parentName) does not exist") }
            if let conflict = parent.children[vlan] {
                throw VsctlError.fatal("bridge \(parentName) already has a child VLAN bridge \(conflict.name) on VLAN \(vlan)")
            }
            ctx.write("Port", port, "fake_bridge", Datum(atom: .boolean(true)))
            ctx.write("Port", port, "tag", Datum(atom: .integer(Int64(vlan))))
            ctx.bridgeInsertPort(parent.row!, port)
        } else {
            let br = ctx.transaction.insert("Bridge")
            ctx.write("Bridge", br, "name", string: name)
            ctx.write("Bridge", br, "ports", uuids: [port])
            let ovs = ctx.openVSwitch
            ctx.write("Open_vSwitch", ovs, "bridges", uuids: ctx.uuids("Open_vSwitch", ovs, "bridges") + [br])
        }
        ctx.newInterfaces.append(iface)
        ctx.invalidateCache()
    }

    static func deleteBridge(_ ctx: Context) throws {
        if let br = try ctx.findBridge(ctx.argv[1], mustExist: !ctx.has("--if-exists")) {
            ctx.deleteBridge(br)
        }
    }

    static func listBridges(_ ctx: Context) throws {
        var real = ctx.has("--real"), fake = ctx.has("--fake")
        if !real && !fake { real = true; fake = true }
        let names = ctx.bridges.bridges.values.filter { $0.parent != nil ? fake : real }.map(\.name)
        ctx.output += sortedLines(names)
    }

    static func bridgeExists(_ ctx: Context) throws {
        if try ctx.findBridge(ctx.argv[1], mustExist: false) == nil { throw VsctlError.exit(2) }
    }

    static func bridgeToVLAN(_ ctx: Context) throws {
        let br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        ctx.output += "\(br.vlan)\n"
    }

    static func bridgeToParent(_ ctx: Context) throws {
        let br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        ctx.output += "\((br.parent ?? br).name)\n"
    }

    static func externalIDPrerequisites(_ p: inout Prerequisites) {
        BridgeCache.prerequisites(&p)
        p.add("Bridge", "external_ids")
        p.add("Port", "external_ids")
    }

    /// A fake bridge keeps its external ids on its Port, prefixed `fake-bridge-`.
    static func setExternalID(_ ctx: Context) throws {
        let br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        let value = ctx.argv.count >= 4 ? ctx.argv[3] : nil
        let (table, row, key) = br.row.map { ("Bridge", $0, ctx.argv[2]) }
            ?? ("Port", ctx.bridges.ports[ctx.argv[1]]!.row, "fake-bridge-" + ctx.argv[2])
        var map = ctx.value(table, row, "external_ids")
        map.delete(Datum(keys: [.string(key)]))
        if let value { map.insert(Datum(keys: [.string(key)], values: [.string(value)])) }
        ctx.verify(table, row, "external_ids")
        ctx.write(table, row, "external_ids", map)
    }

    static func getExternalID(_ ctx: Context) throws {
        let br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        let (table, row, prefix) = br.row.map { ("Bridge", $0, "") }
            ?? ("Port", ctx.bridges.ports[ctx.argv[1]]!.row, "fake-bridge-")
        ctx.verify(table, row, "external_ids")
        let map = ctx.value(table, row, "external_ids")
        if ctx.argv.count >= 3 {
            if let i = map.index(of: .string(prefix + ctx.argv[2])), let v = map.values?[i].stringValue {
                ctx.output += v + "\n"
            }
        } else {
            for (i, k) in map.keys.enumerated() {
                guard let key = k.stringValue, key.hasPrefix(prefix), let v = map.values?[i].stringValue else { continue }
                ctx.output += "\(key.dropFirst(prefix.count))=\(v)\n"
            }
        }
    }

    /// Names sorted bytewise, one per line (`output_sorted`).
    static func sortedLines(_ names: [String]) -> String {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map { $0 + "\n" }.joined()
    }

    /// C's `atoi`: leading blanks, a sign, digits; 0 when there are none.
    static func atoiLike(_ s: String) -> Int64 {
        var u = Substring(s).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        var sign: Int64 = 1
        if let f = u.first, f == "-" || f == "+" { sign = f == "-" ? -1 : 1; u = u.dropFirst() }
        var v: Int64 = 0
        for c in u {
            guard let d = c.wholeNumberValue, c.isASCII else { break }
            v = v &* 10 &+ Int64(d)
            if v > Int64(Int32.max) + 1 { break }
        }
        return Int64(Int32(truncatingIfNeeded: sign * v))
    }
}
