import OVSDB
import Unixctl

extension OVSDBServer {
    /// Registers the `ovsdb-server/…`, `memory/show` and `exit` commands on a control socket.
    public func registerCommands(_ unixctl: UnixctlServer) {
        unixctl.register("exit", usage: "", min: 0, max: 0) { [unowned self] _, reply in
            reply(.success(""))
            eventLoop.execute { self.onExit?() }
        }
        unixctl.register("ovsdb-server/compact", usage: "", min: 0, max: 1) { [unowned self] args in
            for name in args.isEmpty ? databaseNames : args {
                guard let hosted = databases[name] else { throw UnixctlError("\(name): unknown database") }
                do {
                    try hosted.storage?.compact()
                } catch {
                    throw UnixctlError("\(name): compaction failed (\(error))")
                }
            }
            return ""
        }
        unixctl.register("ovsdb-server/list-dbs", usage: "", min: 0, max: 0) { [unowned self] _ in
            databaseNames.map { $0 + "\n" }.joined()
        }
        unixctl.register("ovsdb-server/add-db", usage: "DB", min: 1, max: 1) { [unowned self] args in
            try addDatabase(path: args[0])
            return ""
        }
        unixctl.register("ovsdb-server/remove-db", usage: "DB", min: 1, max: 1) { [unowned self] args in
            do { try removeDatabase(args[0]) } catch { throw UnixctlError("Failed to find the database.") }
            return ""
        }
        unixctl.register("ovsdb-server/add-remote", usage: "REMOTE", min: 1, max: 1) { [unowned self] args in
            try addRemote(args[0])
            return ""
        }
        unixctl.register("ovsdb-server/remove-remote", usage: "REMOTE", min: 1, max: 1) { [unowned self] args in
            do { try removeRemote(args[0]) } catch { throw UnixctlError("no such remote") }
            return ""
        }
        unixctl.register("ovsdb-server/list-remotes", usage: "", min: 0, max: 0) { [unowned self] _ in
            remoteListing.map { $0 + "\n" }.joined()
        }
        unixctl.register("ovsdb-server/reconnect", usage: "", min: 0, max: 0) { [unowned self] _ in
            for s in sessions.values { s.close() }
            return ""
        }
        unixctl.register("memory/show", usage: "", min: 0, max: 0) { [unowned self] _ in memoryReport + "\n" }
    }

    /// `memory/show`: counts of what the server holds, in Open vSwitch's key:value form.
    var memoryReport: String {
        var atoms = 0, cells = 0
        for hosted in databases.values where hosted.storage != nil {
            for table in hosted.database.tables {
                for row in table.rows.values {
                    cells += row.values.count
                    for d in row.values { atoms += d.count * (d.isMap ? 2 : 1) }
                }
            }
        }
        let monitors = sessions.values.reduce(0) { $0 + $1.monitors.count }
        return "atoms:\(atoms) cells:\(cells) monitors:\(monitors) sessions:\(sessions.count)"
    }
}
