import OVSDB

/// `emer-reset`: back to a configuration that lets the switch forward traffic again — no
/// managers, controllers, SSL, mirrors, NetFlow, sFlow or IPFIX, and bridges, ports and
/// interfaces stripped of the settings that could be wrong (`cmd_emer_reset`).
enum EmergencyReset {
    static func prerequisites(_ p: inout Prerequisites) {
        p.add("Open_vSwitch", "manager_options", "ssl")
        p.add("Bridge", "controller", "fail_mode", "mirrors", "netflow", "sflow", "ipfix", "flood_vlans", "other_config")
        p.add("Port", "other_config")
        p.add("Interface", "ingress_policing_rate", "ingress_policing_burst")
        for t in ["Mirror", "Controller", "Manager", "NetFlow", "SSL", "sFlow", "IPFIX", "Flow_Sample_Collector_Set"] {
            p.selection.addTable(t)
        }
    }

    static func run(_ ctx: Context) throws {
        let ovs = ctx.openVSwitch
        ctx.write("Open_vSwitch", ovs, "manager_options", uuids: [])
        ctx.write("Open_vSwitch", ovs, "ssl", uuids: [])
        for br in ctx.transaction.rows("Bridge") {
            for column in ["controller", "mirrors", "netflow", "sflow", "ipfix", "flood_vlans"] {
                ctx.write("Bridge", br, column, Datum(keys: []))
            }
            ctx.write("Bridge", br, "fail_mode", string: nil)
            let other = ctx.value("Bridge", br, "other_config")
            if let i = other.index(of: .string("hwaddr")) {
                ctx.write("Bridge", br, "other_config", Datum(keys: [other.keys[i]], values: [other.values![i]]))
            } else {
                ctx.write("Bridge", br, "other_config", Datum.empty(map: true))
            }
        }
        for port in ctx.transaction.rows("Port") {
            ctx.write("Port", port, "other_config", Datum.empty(map: true))
        }
        for iface in ctx.transaction.rows("Interface") {
            ctx.write("Interface", iface, "ingress_policing_rate", Datum(atom: .integer(0)))
            ctx.write("Interface", iface, "ingress_policing_burst", Datum(atom: .integer(0)))
        }
        for t in ["Mirror", "Controller", "Manager", "NetFlow", "SSL", "sFlow", "IPFIX", "Flow_Sample_Collector_Set"] {
            for row in ctx.transaction.rows(t) { ctx.transaction.delete(t, row) }
        }
        ctx.invalidateCache()
    }
}
