/// One command of the language (`struct ctl_command_syntax`): how many arguments it takes,
/// which options, what it must replicate before running (prerequisites), what it does, and
/// what it does after a successful commit.
struct CommandSyntax {
    enum Mode { case readOnly, readWrite }

    var name: String
    var minArgs: Int
    var maxArgs: Int
    /// The argument synopsis, e.g. `BRIDGE NEW-PORT [COLUMN[:KEY]=VALUE]...`.
    var arguments: String
    /// Accepted options, e.g. `--if-exists,--id=` (`=` takes a value).
    var options: String
    var mode: Mode
    var prerequisites: ((inout Prerequisites) throws -> Void)?
    var run: ((Context) throws -> Void)?
    var postprocess: ((Context) throws -> Void)?

    init(_ name: String, _ minArgs: Int, _ maxArgs: Int, _ arguments: String, options: String = "",
         _ mode: Mode, pre: ((inout Prerequisites) throws -> Void)? = nil,
         run: ((Context) throws -> Void)?, post: ((Context) throws -> Void)? = nil) {
        self.name = name
        self.minArgs = minArgs
        self.maxArgs = maxArgs
        self.arguments = arguments
        self.options = options
        self.mode = mode
        self.prerequisites = pre
        self.run = run
        self.postprocess = post
    }

    /// Every command, in Open vSwitch's registration order (which its hash order follows).
    static let registered: [CommandSyntax] = DatabaseCommands.commands + [
        CommandSyntax("show", 0, 0, "", .readOnly, pre: ShowCommand.prerequisites, run: ShowCommand.run),
    ] + vswitchCommands

    /// Every command, by name.
    static let all: [String: CommandSyntax] = {
        var d: [String: CommandSyntax] = [:]
        for c in registered { d[c.name] = c }
        return d
    }()

    /// The options any command accepts, with whether they take a value, for the global
    /// option parser (options before the first command apply to it).
    static let allOptions: [(name: String, takesValue: Bool)] = {
        var seen: [String: Bool] = [:]
        var out: [(String, Bool)] = []
        for command in registered {
            for option in command.options.split(separator: ",") {
                let takesValue = option.hasSuffix("=")
                let n = String(option.dropFirst(2).prefix { $0 != "=" && $0 != "?" })
                if seen[n] == nil {
                    seen[n] = takesValue
                    out.append((n, takesValue))
                }
            }
        }
        return out
    }()

    /// The vswitch-specific commands (`vsctl_commands[]`).
    static let vswitchCommands: [CommandSyntax] = [
        CommandSyntax("init", 0, 0, "", .readWrite, run: { _ in }),

        CommandSyntax("add-br", 1, 3, "NEW-BRIDGE [PARENT] [NEW-VLAN]", options: "--may-exist", .readWrite,
                      pre: BridgeCache.prerequisites, run: BridgeCommands.addBridge),
        CommandSyntax("del-br", 1, 1, "BRIDGE", options: "--if-exists", .readWrite,
                      pre: BridgeCache.prerequisites, run: BridgeCommands.deleteBridge),
        CommandSyntax("list-br", 0, 0, "", options: "--real,--fake", .readOnly,
                      pre: BridgeCache.prerequisites, run: BridgeCommands.listBridges),
        CommandSyntax("br-exists", 1, 1, "BRIDGE", .readOnly, pre: BridgeCache.prerequisites, run: BridgeCommands.bridgeExists),
        CommandSyntax("br-to-vlan", 1, 1, "BRIDGE", .readOnly, pre: BridgeCache.prerequisites, run: BridgeCommands.bridgeToVLAN),
        CommandSyntax("br-to-parent", 1, 1, "BRIDGE", .readOnly, pre: BridgeCache.prerequisites, run: BridgeCommands.bridgeToParent),
        CommandSyntax("br-set-external-id", 2, 3, "BRIDGE KEY [VALUE]", .readWrite,
                      pre: BridgeCommands.externalIDPrerequisites, run: BridgeCommands.setExternalID),
        CommandSyntax("br-get-external-id", 1, 2, "BRIDGE [KEY]", .readOnly,
                      pre: BridgeCommands.externalIDPrerequisites, run: BridgeCommands.getExternalID),

        CommandSyntax("list-ports", 1, 1, "BRIDGE", .readOnly, pre: BridgeCache.prerequisites, run: PortCommands.listPorts),
        CommandSyntax("add-port", 2, .max, "BRIDGE NEW-PORT [COLUMN[:KEY]=VALUE]...", options: "--may-exist", .readWrite,
                      pre: BridgeCache.prerequisites, run: PortCommands.addPort),
        CommandSyntax("del-port", 1, 2, "[BRIDGE] PORT|IFACE", options: "--if-exists,--with-iface", .readWrite,
                      pre: BridgeCache.prerequisites, run: PortCommands.deletePort),
        CommandSyntax("port-to-br", 1, 1, "PORT", .readOnly, pre: BridgeCache.prerequisites, run: PortCommands.portToBridge),

        CommandSyntax("add-bond", 4, .max, "BRIDGE BOND IFACE... [COLUMN[:KEY]=VALUE]...", options: "--may-exist,--fake-iface",
                      .readWrite, pre: BridgeCache.prerequisites, run: PortCommands.addBond),
        CommandSyntax("add-bond-iface", 2, 2, "BOND IFACE", options: "--may-exist", .readWrite,
                      pre: BridgeCache.prerequisites, run: PortCommands.addBondInterface),
        CommandSyntax("del-bond-iface", 1, 2, "[BOND] IFACE", options: "--if-exists", .readWrite,
                      pre: BridgeCache.prerequisites, run: PortCommands.deleteBondInterface),

        CommandSyntax("list-ifaces", 1, 1, "BRIDGE", .readOnly, pre: BridgeCache.prerequisites, run: PortCommands.listInterfaces),
        CommandSyntax("iface-to-br", 1, 1, "IFACE", .readOnly, pre: BridgeCache.prerequisites, run: PortCommands.interfaceToBridge),

        CommandSyntax("get-controller", 1, 1, "BRIDGE", .readOnly,
                      pre: ManagementCommands.controllerPrerequisites, run: ManagementCommands.getController),
        CommandSyntax("del-controller", 1, 1, "BRIDGE", .readWrite,
                      pre: ManagementCommands.controllerPrerequisites, run: ManagementCommands.deleteController),
        CommandSyntax("set-controller", 1, .max, "BRIDGE TARGET...", options: "--inactivity-probe=", .readWrite,
                      pre: ManagementCommands.controllerPrerequisites, run: ManagementCommands.setController),
        CommandSyntax("get-fail-mode", 1, 1, "BRIDGE", .readOnly, pre: BridgeCache.prerequisites, run: ManagementCommands.getFailMode),
        CommandSyntax("del-fail-mode", 1, 1, "BRIDGE", .readWrite, pre: BridgeCache.prerequisites, run: ManagementCommands.deleteFailMode),
        CommandSyntax("set-fail-mode", 2, 2, "BRIDGE MODE", .readWrite, pre: BridgeCache.prerequisites, run: ManagementCommands.setFailMode),

        CommandSyntax("get-manager", 0, 0, "", .readOnly, pre: ManagementCommands.managerPrerequisites, run: ManagementCommands.getManager),
        CommandSyntax("del-manager", 0, 0, "", .readWrite, pre: ManagementCommands.managerPrerequisites, run: ManagementCommands.deleteManager),
        CommandSyntax("set-manager", 1, .max, "TARGET...", options: "--inactivity-probe=", .readWrite,
                      pre: ManagementCommands.managerPrerequisites, run: ManagementCommands.setManager),

        CommandSyntax("get-ssl", 0, 0, "", .readOnly, pre: ManagementCommands.sslPrerequisites, run: ManagementCommands.getSSL),
        CommandSyntax("del-ssl", 0, 0, "", .readWrite, pre: ManagementCommands.sslPrerequisites, run: ManagementCommands.deleteSSL),
        CommandSyntax("set-ssl", 3, 3, "PRIVATE-KEY CERTIFICATE CA-CERT", options: "--bootstrap", .readWrite,
                      pre: ManagementCommands.sslPrerequisites, run: ManagementCommands.setSSL),

        CommandSyntax("add-aa-mapping", 3, 3, "BRIDGE ARG ARG", .readWrite,
                      pre: AutoAttachCommands.prerequisites, run: AutoAttachCommands.addMapping),
        CommandSyntax("del-aa-mapping", 3, 3, "BRIDGE ARG ARG", .readWrite,
                      pre: AutoAttachCommands.prerequisites, run: AutoAttachCommands.deleteMapping),
        CommandSyntax("get-aa-mapping", 1, 1, "BRIDGE", .readOnly,
                      pre: AutoAttachCommands.prerequisites, run: AutoAttachCommands.getMappings),

        CommandSyntax("emer-reset", 0, 0, "", .readWrite, pre: EmergencyReset.prerequisites, run: EmergencyReset.run),

        CommandSyntax("add-zone-tp", 3, .max, "", options: "--may-exist", .readWrite,
                      pre: ZoneCommands.zonePrerequisites, run: ZoneCommands.addZone),
        CommandSyntax("del-zone-tp", 2, 2, "", options: "--if-exists", .readWrite,
                      pre: ZoneCommands.zonePrerequisites, run: ZoneCommands.deleteZone),
        CommandSyntax("list-zone-tp", 1, 1, "", .readOnly, pre: ZoneCommands.zonePrerequisites, run: ZoneCommands.listZones),
        CommandSyntax("list-dp-cap", 1, 1, "", .readOnly, pre: ZoneCommands.capabilityPrerequisites, run: ZoneCommands.listCapabilities),
    ]
}
