import OVSDB

/// Controllers, fail modes, managers and SSL.
enum ManagementCommands {
    static func controllerPrerequisites(_ p: inout Prerequisites) {
        BridgeCache.prerequisites(&p)
        p.add("Controller", "target", "inactivity_probe")
    }

    static func managerPrerequisites(_ p: inout Prerequisites) {
        p.add("Open_vSwitch", "manager_options")
        p.add("Manager", "target", "inactivity_probe")
    }

    static func sslPrerequisites(_ p: inout Prerequisites) {
        p.add("Open_vSwitch", "ssl")
        if p.command.syntax.name == "get-ssl" {
            p.add("SSL", "private_key", "certificate", "ca_cert", "bootstrap_ca_cert")
        }
    }

    private static func verifyControllers(_ ctx: Context, _ bridge: UUID) {
        ctx.verify("Bridge", bridge, "controller")
        for c in ctx.uuids("Bridge", bridge, "controller") { ctx.verify("Controller", c, "target") }
    }

    static func getController(_ ctx: Context) throws {
        var br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        if let parent = br.parent { br = parent }
        verifyControllers(ctx, br.row!)
        let targets = ctx.uuids("Bridge", br.row!, "controller").map { ctx.string("Controller", $0, "target") ?? "" }
        ctx.output += BridgeCommands.sortedLines(targets)
    }

    static func deleteController(_ ctx: Context) throws {
        let br = try ctx.findRealBridge(ctx.argv[1], mustExist: true)!.row!
        verifyControllers(ctx, br)
        let controllers = ctx.uuids("Bridge", br, "controller")
        if !controllers.isEmpty {
            for c in controllers { ctx.transaction.delete("Controller", c) }
            ctx.write("Bridge", br, "controller", uuids: [])
        }
    }

    static func setController(_ ctx: Context) throws {
        let br = try ctx.findRealBridge(ctx.argv[1], mustExist: true)!.row!
        verifyControllers(ctx, br)
        for c in ctx.uuids("Bridge", br, "controller") { ctx.transaction.delete("Controller", c) }
        let rows = insertTargets(ctx, "Controller", Array(ctx.argv[2...]), openFlow: true)
        ctx.write("Bridge", br, "controller", uuids: rows)
    }

    /// New Controller or Manager rows for `targets`, warning about unknown connection types.
    private static func insertTargets(_ ctx: Context, _ table: String, _ targets: [String], openFlow: Bool) -> [UUID] {
        let probe = ctx.value("--inactivity-probe")
        return targets.map { target in
            if !TargetNames.isValid(target, openFlow: openFlow) {
                VsctlLog.warn("target type \"\(target)\" is possibly erroneous")
            }
            let row = ctx.transaction.insert(table)
            ctx.write(table, row, "target", string: target)
            if let probe {
                ctx.write(table, row, "inactivity_probe", Datum(atom: .integer(BridgeCommands.atollLike(probe))))
            }
            return row
        }
    }

    static func getFailMode(_ ctx: Context) throws {
        var br = try ctx.findBridge(ctx.argv[1], mustExist: true)!
        if let parent = br.parent { br = parent }
        ctx.verify("Bridge", br.row!, "fail_mode")
        if let mode = ctx.string("Bridge", br.row!, "fail_mode"), !mode.isEmpty { ctx.output += mode + "\n" }
    }

    static func deleteFailMode(_ ctx: Context) throws {
        let br = try ctx.findRealBridge(ctx.argv[1], mustExist: true)!
        ctx.write("Bridge", br.row!, "fail_mode", string: nil)
    }

    static func setFailMode(_ ctx: Context) throws {
        let br = try ctx.findRealBridge(ctx.argv[1], mustExist: true)!
        let mode = ctx.argv[2]
        guard mode == "standalone" || mode == "secure" else {
            throw VsctlError.fatal("fail-mode must be \"standalone\" or \"secure\"")
        }
        ctx.write("Bridge", br.row!, "fail_mode", string: mode)
    }

    private static func verifyManagers(_ ctx: Context) {
        ctx.verify("Open_vSwitch", ctx.openVSwitch, "manager_options")
        for m in ctx.uuids("Open_vSwitch", ctx.openVSwitch, "manager_options") { ctx.verify("Manager", m, "target") }
    }

    private static func deleteManagers(_ ctx: Context) {
        for m in ctx.uuids("Open_vSwitch", ctx.openVSwitch, "manager_options") { ctx.transaction.delete("Manager", m) }
        ctx.write("Open_vSwitch", ctx.openVSwitch, "manager_options", uuids: [])
    }

    static func getManager(_ ctx: Context) throws {
        verifyManagers(ctx)
        let targets = Set(ctx.uuids("Open_vSwitch", ctx.openVSwitch, "manager_options").map { ctx.string("Manager", $0, "target") ?? "" })
        ctx.output += BridgeCommands.sortedLines(Array(targets))
    }

    static func deleteManager(_ ctx: Context) throws {
        verifyManagers(ctx)
        deleteManagers(ctx)
    }

    static func setManager(_ ctx: Context) throws {
        verifyManagers(ctx)
        deleteManagers(ctx)
        let rows = insertTargets(ctx, "Manager", Array(ctx.argv[1...]), openFlow: false)
        ctx.write("Open_vSwitch", ctx.openVSwitch, "manager_options", uuids: rows)
    }

    static func getSSL(_ ctx: Context) throws {
        let ovs = ctx.openVSwitch
        ctx.verify("Open_vSwitch", ovs, "ssl")
        guard let ssl = ctx.uuids("Open_vSwitch", ovs, "ssl").first else { return }
        for c in ["private_key", "certificate", "ca_cert", "bootstrap_ca_cert"] { ctx.verify("SSL", ssl, c) }
        ctx.output += "Private key: \(ctx.string("SSL", ssl, "private_key") ?? "")\n"
        ctx.output += "Certificate: \(ctx.string("SSL", ssl, "certificate") ?? "")\n"
        ctx.output += "CA Certificate: \(ctx.string("SSL", ssl, "ca_cert") ?? "")\n"
        let bootstrap = ctx.value("SSL", ssl, "bootstrap_ca_cert").first == .boolean(true)
        ctx.output += "Bootstrap: \(bootstrap ? "true" : "false")\n"
    }

    static func deleteSSL(_ ctx: Context) throws {
        let ovs = ctx.openVSwitch
        guard let ssl = ctx.uuids("Open_vSwitch", ovs, "ssl").first else { return }
        ctx.verify("Open_vSwitch", ovs, "ssl")
        ctx.transaction.delete("SSL", ssl)
        ctx.write("Open_vSwitch", ovs, "ssl", uuids: [])
    }

    static func setSSL(_ ctx: Context) throws {
        let ovs = ctx.openVSwitch
        ctx.verify("Open_vSwitch", ovs, "ssl")
        if let old = ctx.uuids("Open_vSwitch", ovs, "ssl").first { ctx.transaction.delete("SSL", old) }
        let ssl = ctx.transaction.insert("SSL")
        ctx.write("SSL", ssl, "private_key", string: ctx.argv[1])
        ctx.write("SSL", ssl, "certificate", string: ctx.argv[2])
        ctx.write("SSL", ssl, "ca_cert", string: ctx.argv[3])
        ctx.write("SSL", ssl, "bootstrap_ca_cert", Datum(atom: .boolean(ctx.has("--bootstrap"))))
        ctx.write("Open_vSwitch", ovs, "ssl", uuids: [ssl])
    }
}

/// Whether a connection target names a known method (`vconn_verify_name`/`stream_verify_name`
/// and their passive forms); a bad one only earns a warning.
enum TargetNames {
    static func isValid(_ target: String, openFlow: Bool) -> Bool {
        guard let colon = target.firstIndex(of: ":") else { return false }
        let method = target[..<colon]
        return ["tcp", "ssl", "unix", "ptcp", "pssl", "punix"].contains(String(method))
    }
}

extension BridgeCommands {
    /// C's `atoll`.
    static func atollLike(_ s: String) -> Int64 {
        var u = Substring(s).drop { $0 == " " || $0 == "\t" || $0 == "\n" }
        var negative = false
        if let f = u.first, f == "-" || f == "+" { negative = f == "-"; u = u.dropFirst() }
        var v: Int64 = 0
        for c in u {
            guard c.isASCII, let d = c.wholeNumberValue else { break }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return negative ? .min : .max }
            v = a
        }
        return negative ? -v : v
    }
}
