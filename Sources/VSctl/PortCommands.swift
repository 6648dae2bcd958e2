import OVSDB

/// list-ports, add-port, add-bond, add-bond-iface, del-bond-iface, del-port, port-to-br,
/// list-ifaces, iface-to-br.
enum PortCommands {
    static func listPorts(_ ctx: Context) throws {
        let br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        ctx.verify("Bridge", br.realRow, "ports")
        ctx.output += BridgeCommands.sortedLines(br.ports.map(\.name).filter { $0 != br.name })
    }

    static func addPort(_ ctx: Context) throws {
        try add(ctx, bridge: ctx.argv[1], port: ctx.argv[2], mayExist: ctx.has("--may-exist"), fakeInterface: false,
                interfaces: [ctx.argv[2]], settings: Array(ctx.argv[3...]))
    }

    static func addBond(_ ctx: Context) throws {
        let rest = ctx.argv[3...]
        let nInterfaces = rest.firstIndex { $0.contains("=") }.map { $0 - 3 } ?? rest.count
        if nInterfaces < 2 {
            throw VsctlError.fatal("add-bond requires at least 2 interfaces, but only \(nInterfaces) were specified")
        }
        try add(ctx, bridge: ctx.argv[1], port: ctx.argv[2], mayExist: ctx.has("--may-exist"),
                fakeInterface: ctx.has("--fake-iface"), interfaces: Array(rest.prefix(nInterfaces)),
                settings: Array(rest.dropFirst(nInterfaces)))
    }

    /// `add_port`.
    private static func add(_ ctx: Context, bridge bridgeName: String, port name: String, mayExist: Bool,
                            fakeInterface: Bool, interfaces: [String], settings: [String]) throws {
        if name.isEmpty { throw VsctlError.fatal("port name must not be empty string") }
        if interfaces.contains("") { throw VsctlError.fatal("interface name must not be empty string") }
        if mayExist, let existing = try ctx.findPort(name, mustExist: false) {
            let want = interfaces.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let have = ctx.uuids("Port", existing.row, "interfaces")
                .map { ctx.string("Interface", $0, "name") ?? "" }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if existing.bridge.name != bridgeName {
                throw VsctlError.fatal("\"\(ctx.commandText)\" but \(name) is actually attached to bridge \(existing.bridge.name)")
            }
            if want != have {
                throw VsctlError.fatal("\"\(ctx.commandText)\" but \(name) actually has interface(s) \(have.joined(separator: ", "))")
            }
            return
        }
        try ctx.checkConflicts(name, "cannot create a port named \(name)")
        for i in interfaces { try ctx.checkConflicts(i, "cannot create an interface named \(i)") }
        let bridge = try ctx.findBridge(bridgeName, mustExist: true)!

        var ifaceRows: [UUID] = []
        for i in interfaces {
            let row = ctx.transaction.insert("Interface")
            ctx.write("Interface", row, "name", string: i)
            ctx.newInterfaces.append(row)
            ifaceRows.append(row)
        }
        let port = ctx.transaction.insert("Port")
        ctx.write("Port", port, "name", string: name)
        ctx.write("Port", port, "interfaces", uuids: ifaceRows)
        ctx.write("Port", port, "bond_fake_iface", Datum(atom: .boolean(fakeInterface)))
        if bridge.parent != nil {
            ctx.write("Port", port, "tag", Datum(atom: .integer(Int64(bridge.vlan))))
        }
        let portTable = ctx.schema.table("Port")!
        for setting in settings {
            try ctx.setColumn(portTable, port, setting, partial: false)
        }
        ctx.bridgeInsertPort(bridge.realRow, port)
        let cached = ctx.bridges.addPort(to: bridge, row: port, name: name, tag: ctx.integer("Port", port, "tag"))
        for (i, row) in zip(interfaces, ifaceRows) { ctx.bridges.addInterface(to: cached, row: row, name: i) }
    }

    static func addBondInterface(_ ctx: Context) throws {
        let port = try ctx.findPort(ctx.argv[1], mustExist: true)!
        let name = ctx.argv[2]
        if ctx.has("--may-exist"), let iface = try ctx.findInterface(name, mustExist: false) {
            if iface.port === port { return }
            throw VsctlError.fatal("\"\(ctx.commandText)\" but \(name) is actually attached to port \(iface.port.name)")
        }
        try ctx.checkConflicts(name, "cannot create an interface named \(name)")
        let row = ctx.transaction.insert("Interface")
        ctx.write("Interface", row, "name", string: name)
        ctx.transaction.mutateInsert("Port", port.row, "interfaces", Datum(keys: [.uuid(row)]))
        ctx.newInterfaces.append(row)
        ctx.bridges.addInterface(to: port, row: row, name: name)
    }

    static func deleteBondInterface(_ ctx: Context) throws {
        let name = ctx.argv[ctx.argv.count - 1]
        guard let iface = try ctx.findInterface(name, mustExist: !ctx.has("--if-exists")) else { return }
        if ctx.argv.count > 2 {
            let port = try ctx.findPort(ctx.argv[1], mustExist: true)!
            if iface.port !== port {
                throw VsctlError.fatal("port \(ctx.argv[1]) does not have an interface \(name)")
            }
        }
        if iface.port.interfaces.count <= 1 {
            throw VsctlError.fatal("cannot delete last interface from port \(iface.port.name)")
        }
        ctx.transaction.mutateDelete("Port", iface.port.row, "interfaces", Datum(keys: [.uuid(iface.row)]))
        ctx.bridges.removeInterface(iface)
        ctx.transaction.delete("Interface", iface.row)
    }

    static func deletePort(_ ctx: Context) throws {
        let mustExist = !ctx.has("--if-exists")
        let target = ctx.argv[ctx.argv.count - 1]
        var port: BridgeCache.Port?
        if try ctx.findBridge(target, mustExist: false) != nil {
            if mustExist {
                throw VsctlError.fatal("cannot delete port \(target) because it is the local port for bridge \(target) (deleting this port requires deleting the entire bridge)")
            }
        } else if !ctx.has("--with-iface") {
            port = try ctx.findPort(target, mustExist: mustExist)
        } else {
            port = try ctx.findPort(target, mustExist: false)
            if port == nil { port = try ctx.findInterface(target, mustExist: false)?.port }
            if mustExist && port == nil { throw VsctlError.fatal("no port or interface named \(target)") }
        }
        guard let port else { return }
        if ctx.argv.count == 3 {
            let bridge = try ctx.findBridge(ctx.argv[1], mustExist: true)!
            if port.bridge !== bridge {
                if port.bridge.parent === bridge {
                    throw VsctlError.fatal("bridge \(ctx.argv[1]) does not have a port \(ctx.argv[2]) (although its child bridge \(port.bridge.name) does)")
                }
                throw VsctlError.fatal("bridge \(ctx.argv[1]) does not have a port \(ctx.argv[2])")
            }
        }
        ctx.deletePort(port)
    }

    static func portToBridge(_ ctx: Context) throws {
        let port = try ctx.findPort(ctx.argv[1], mustExist: true)!
        ctx.output += port.bridge.name + "\n"
    }

    static func listInterfaces(_ ctx: Context) throws {
        let br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        ctx.verifyPorts()
        let names = br.ports.flatMap { $0.interfaces.map(\.name) }.filter { $0 != br.name }
        ctx.output += BridgeCommands.sortedLines(names)
    }

    static func interfaceToBridge(_ ctx: Context) throws {
        let iface = try ctx.findInterface(ctx.argv[1], mustExist: true)!
        ctx.output += iface.port.bridge.name + "\n"
    }
}
