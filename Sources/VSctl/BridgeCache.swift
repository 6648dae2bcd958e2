import OVSDB

/// ovs-vsctl's model of the switch (`struct vsctl_bridge/port/iface`): real bridges, fake
/// VLAN bridges (a Port with `fake_bridge=true` and a tag, standing for a bridge on its
/// parent's VLAN), their ports and interfaces, each name unique across all three.
final class BridgeCache {
    final class Bridge {
        let name: String
        /// The Bridge row, or nil for a fake bridge.
        let row: UUID?
        weak var parent: Bridge?
        let vlan: Int
        var ports: [Port] = []
        var children: [Int: Bridge] = [:]

        init(name: String, row: UUID?, parent: Bridge?, vlan: Int) {
            self.name = name
            self.row = row
            self.parent = parent
            self.vlan = vlan
        }

        /// The Bridge row that holds this bridge's ports (the parent's, for a fake bridge).
        var realRow: UUID { row ?? parent!.row! }
    }

    final class Port {
        let row: UUID
        let name: String
        unowned let bridge: Bridge
        var interfaces: [Interface] = []
        init(row: UUID, name: String, bridge: Bridge) {
            self.row = row
            self.name = name
            self.bridge = bridge
        }
    }

    final class Interface {
        let row: UUID
        let name: String
        unowned let port: Port
        init(row: UUID, name: String, port: Port) {
            self.row = row
            self.name = name
            self.port = port
        }
    }

    private(set) var bridges: [String: Bridge] = [:]
    private(set) var ports: [String: Port] = [:]
    private(set) var interfaces: [String: Interface] = [:]

    /// `pre_get_info`: what the cache is built from.
    static func prerequisites(_ p: inout Prerequisites) {
        p.add("Open_vSwitch", "bridges")
        p.add("Bridge", "name", "controller", "fail_mode", "ports")
        p.add("Port", "name", "fake_bridge", "tag", "interfaces")
        p.add("Interface", "name", "ofport", "error")
    }

    /// Builds the model from the transaction's view of the database.
    init(_ ctx: Context) {
        var bridgeNames: Set<String> = []
        var portNames: Set<String> = []
        let ovs = ctx.openVSwitch
        let bridgeRows = ctx.uuids("Open_vSwitch", ovs, "bridges")
        for br in bridgeRows {
            let name = ctx.string("Bridge", br, "name") ?? ""
            guard bridgeNames.insert(name).inserted else {
                VsctlLog.warn("\(name): database contains duplicate bridge name")
                continue
            }
            let bridge = addBridge(name: name, row: br, parent: nil, vlan: 0)
            for p in ctx.uuids("Bridge", br, "ports") {
                let portName = ctx.string("Port", p, "name") ?? ""
                guard portNames.insert(portName).inserted else { continue }
                if let vlan = BridgeCache.fakeBridgeVLAN(ctx, p), bridgeNames.insert(portName).inserted {
                    _ = addBridge(name: portName, row: nil, parent: bridge, vlan: vlan)
                }
            }
        }

        bridgeNames = []
        for br in bridgeRows {
            let name = ctx.string("Bridge", br, "name") ?? ""
            guard bridgeNames.insert(name).inserted else { continue }
            let bridge = bridges[name]!
            for p in ctx.uuids("Bridge", br, "ports") {
                let portName = ctx.string("Port", p, "name") ?? ""
                if let existing = ports[portName] {
                    if existing.row == p {
                        VsctlLog.warn("\(portName): port is in multiple bridges (\(name) and \(existing.bridge.name))")
                    } else {
                        VsctlLog.log("vsctl", .err, "\(portName): database contains duplicate port name")
                    }
                    continue
                }
                if BridgeCache.fakeBridgeVLAN(ctx, p) != nil && !bridgeNames.insert(portName).inserted { continue }
                let port = addPort(to: bridge, row: p, name: portName, tag: ctx.integer("Port", p, "tag"))
                for i in ctx.uuids("Port", p, "interfaces") {
                    let ifaceName = ctx.string("Interface", i, "name") ?? ""
                    if let existing = interfaces[ifaceName] {
                        if existing.row == i {
                            VsctlLog.warn("\(ifaceName): interface is in multiple ports (\(existing.port.name) and \(portName))")
                        } else {
                            VsctlLog.log("vsctl", .err, "\(ifaceName): database contains duplicate interface name")
                        }
                        continue
                    }
                    addInterface(to: port, row: i, name: ifaceName)
                }
            }
        }
    }

    /// The VLAN of a Port that stands for a fake bridge (`port_is_fake_bridge`).
    private static func fakeBridgeVLAN(_ ctx: Context, _ port: UUID) -> Int? {
        guard ctx.value("Port", port, "fake_bridge").first == .boolean(true),
              let tag = ctx.integer("Port", port, "tag"), tag >= 0, tag <= 4095 else { return nil }
        return Int(tag)
    }

    @discardableResult
    func addBridge(name: String, row: UUID?, parent: Bridge?, vlan: Int) -> Bridge {
        let bridge = Bridge(name: name, row: row, parent: parent, vlan: vlan)
        if let parent {
            if let conflict = parent.children[vlan] {
                VsctlLog.warn("\(parent.name): bridge has multiple VLAN bridges (\(name) and \(conflict.name)) for VLAN \(vlan), but only one is allowed")
            } else {
                parent.children[vlan] = bridge
            }
        }
        bridges[name] = bridge
        return bridge
    }

    /// Adds a port under `bridge`, or under its fake bridge for the port's tag
    /// (`add_port_to_cache`).
    @discardableResult
    func addPort(to bridge: Bridge, row: UUID, name: String, tag: Int64?) -> Port {
        var parent = bridge
        if let tag, tag >= 0, tag <= 4095, let vlanBridge = bridge.children[Int(tag)] { parent = vlanBridge }
        let port = Port(row: row, name: name, bridge: parent)
        parent.ports.append(port)
        ports[name] = port
        return port
    }

    @discardableResult
    func addInterface(to port: Port, row: UUID, name: String) -> Interface {
        let iface = Interface(row: row, name: name, port: port)
        port.interfaces.append(iface)
        interfaces[name] = iface
        return iface
    }

    func removeInterface(_ iface: Interface) {
        iface.port.interfaces.removeAll { $0 === iface }
        interfaces[iface.name] = nil
    }

    func removePort(_ port: Port) {
        port.bridge.ports.removeAll { $0 === port }
        ports[port.name] = nil
    }

    func removeBridge(_ bridge: Bridge) {
        if let parent = bridge.parent { parent.children[bridge.vlan] = nil }
        bridges[bridge.name] = nil
    }
}
