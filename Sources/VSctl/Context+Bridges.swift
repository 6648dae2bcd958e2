import JSON
import OVSDB

/// The lookups and edits the bridge, port and interface commands share (`find_bridge`,
/// `check_conflicts`, `del_port`, …).
extension Context {
    /// Verifies the bridge/port/interface structure once per command, so the commit fails if
    /// another client rearranged it meanwhile (`verify_ports`).
    func verifyPorts() {
        guard !verifiedPorts else { return }
        verify("Open_vSwitch", openVSwitch, "bridges")
        for br in transaction.rows("Bridge") { verify("Bridge", br, "ports") }
        for p in transaction.rows("Port") { verify("Port", p, "interfaces") }
        verifiedPorts = true
    }

    func findBridge(_ name: String, mustExist: Bool) throws -> BridgeCache.Bridge? {
        let br = bridges.bridges[name]
        if mustExist && br == nil { throw VsctlError.fatal("no bridge named \(name)") }
        verify("Open_vSwitch", openVSwitch, "bridges")
        return br
    }

    func findRealBridge(_ name: String, mustExist: Bool) throws -> BridgeCache.Bridge? {
        let br = try findBridge(name, mustExist: mustExist)
        if let br, br.parent != nil { throw VsctlError.fatal("\(name) is a fake bridge") }
        return br
    }

    func findPort(_ name: String, mustExist: Bool) throws -> BridgeCache.Port? {
        var port = bridges.ports[name]
        if let p = port, p.bridge.name == name { port = nil }
        if mustExist && port == nil { throw VsctlError.fatal("no port named \(name)") }
        verifyPorts()
        return port
    }

    func findInterface(_ name: String, mustExist: Bool) throws -> BridgeCache.Interface? {
        var iface = bridges.interfaces[name]
        if let i = iface, i.port.bridge.name == name { iface = nil }
        if mustExist && iface == nil { throw VsctlError.fatal("no interface named \(name)") }
        verifyPorts()
        return iface
    }

    /// Refuses `name` for a new bridge, port or interface if any of them has it.
    func checkConflicts(_ name: String, _ message: String) throws {
        verifyPorts()
        if bridges.bridges[name] != nil {
            throw VsctlError.fatal("\(message) because a bridge named \(name) already exists")
        }
        if let port = bridges.ports[name] {
            throw VsctlError.fatal("\(message) because a port named \(name) already exists on bridge \(port.bridge.name)")
        }
        if let iface = bridges.interfaces[name] {
            throw VsctlError.fatal("\(message) because an interface named \(name) already exists on bridge \(iface.port.bridge.name)")
        }
    }

    /// Adds `port` to a Bridge row's ports.
    func bridgeInsertPort(_ bridge: UUID, _ port: UUID) {
        write("Bridge", bridge, "ports", uuids: uuids("Bridge", bridge, "ports") + [port])
    }

    func bridgeDeletePort(_ bridge: UUID, _ port: UUID) {
        write("Bridge", bridge, "ports", uuids: uuids("Bridge", bridge, "ports").filter { $0 != port })
    }

    /// Removes a port and its interfaces (`del_port`).
    func deletePort(_ port: BridgeCache.Port) {
        bridgeDeletePort(port.bridge.realRow, port.row)
        for iface in port.interfaces {
            bridges.removeInterface(iface)
            transaction.delete("Interface", iface.row)
        }
        bridges.removePort(port)
        transaction.delete("Port", port.row)
    }

    /// Removes a bridge, its fake bridges, ports and flow sample collector sets (`del_bridge`).
    func deleteBridge(_ bridge: BridgeCache.Bridge) {
        for child in bridge.children.values { deleteBridge(child) }
        for port in bridge.ports { deletePort(port) }
        if let row = bridge.row {
            for set in transaction.rows("Flow_Sample_Collector_Set")
            where value("Flow_Sample_Collector_Set", set, "bridge").first?.uuidValue == row {
                transaction.delete("Flow_Sample_Collector_Set", set)
            }
            transaction.delete("Bridge", row)
            write("Open_vSwitch", openVSwitch, "bridges", uuids: uuids("Open_vSwitch", openVSwitch, "bridges").filter { $0 != row })
        }
        bridges.removeBridge(bridge)
    }

    /// The command's words re-quoted, for messages that repeat it (`vsctl_context_to_string`).
    var commandText: String {
        CommandText.escape(ShashOrder(command.options.map(\.name)).keys + argv)
    }
}

/// Joins words the way Open vSwitch quotes a command line for logs (`process_escape_args`).
enum CommandText {
    static func escape(_ words: [String]) -> String {
        words.map { w -> String in
            guard w.contains(where: { " \t\r\n\u{0B}\\'\"".contains($0) }) else { return w }
            var s = "\""
            for c in w {
                if c == "\\" || c == "\"" { s.append("\\") }
                s.append(c)
            }
            return s + "\""
        }.joined(separator: " ")
    }
}
