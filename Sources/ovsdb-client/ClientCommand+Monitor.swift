import Daemon
import JSON
import JSONRPC
import OVSDB

/// `monitor`, `monitor-cond` and `monitor-cond-since`: print a table's contents, then every
/// change, until interrupted.
extension ClientCommand {
    static let monitorCommands: [ClientCommand] = [
        ClientCommand(name: "monitor", need: .database, minArgs: 1, maxArgs: .max, help: [
            Help(synopsis: "monitor [SERVER] [DATABASE] TABLE [COLUMN,...]...", description: [
                "monitor contents of COLUMNs in TABLE in DATABASE on SERVER.",
                "COLUMNs may include !initial, !insert, !delete, !modify",
                "to avoid seeing the specified kinds of changes.",
            ]),
        ]) { client, database, args in
            monitor(client, database!, .v1, args, condition: nil)
        },
        ClientCommand(name: "monitor-cond", need: .database, minArgs: 2, maxArgs: 3, help: [
            Help(synopsis: "monitor-cond [SERVER] [DATABASE] CONDITION TABLE [COLUMN,...]...", description: [
                "monitor contents that match CONDITION of COLUMNs in TABLE in",
                "DATABASE on SERVER.",
                "COLUMNs may include !initial, !insert, !delete, !modify",
                "to avoid seeing the specified kinds of changes.",
            ]),
        ]) { client, database, args in
            monitorCond(client, database!, .v2, args)
        },
        ClientCommand(name: "monitor-cond-since", need: .database, minArgs: 2, maxArgs: 4, help: [
            Help(synopsis: "monitor-cond-since [SERVER] [DATABASE] [LASTID] CONDITION TABLE [COLUMN,...]...", description: [
                "monitor contents that match CONDITION of COLUMNs in TABLE in",
                "DATABASE on SERVER, since change after LASTID.",
                "LASTID specifies transaction ID after which the monitoring",
                "starts, which works only for cluster mode. If ignored, it",
                "defaults to an all-zero uuid.",
                "Other arguments are the same as in monitor-cond.",
            ]),
        ]) { client, database, args in
            var args = args
            var lastID = UUID.zero
            if let u = UUID(args[0]) {
                lastID = u
                args.removeFirst()
            }
            monitorCond(client, database!, .v3(lastID), args)
        },
    ]

    enum MonitorVersion {
        case v1, v2
        case v3(UUID)

        var method: String {
            switch self {
            case .v1: return "monitor"
            case .v2: return "monitor_cond"
            case .v3: return "monitor_cond_since"
            }
        }
    }

    /// `do_monitor_cond__()`: checks the condition against the table, then monitors.
    private static func monitorCond(_ client: Client, _ database: String, _ version: MonitorVersion, _ args: [String]) {
        let schema = client.fetchSchema(database)
        guard args.count > 1, let table = schema.table(args[1]) else {
            Console.fatal("\(database) does not have a table named \"\(args.count > 1 ? args[1] : "")\"")
        }
        let condition = Client.parseJSON(args[0])
        do {
            _ = try Where(json: condition, table: table)
        } catch {
            Console.fatal(Client.text(of: error))
        }
        monitor(client, database, version, Array(args.dropFirst()), condition: condition)
    }

    /// `do_monitor__()`: `args` is the table (or `ALL`) and then column arguments.
    private static func monitor(_ client: Client, _ database: String, _ version: MonitorVersion, _ args: [String], condition: JSON?) {
        let server = client.serverName
        let schema = client.fetchSchema(database)
        let tableName = args[0]
        var chosen: [TableSchema]
        if tableName != "ALL" {
            guard let t = schema.table(tableName) else {
                Console.fatal("\(server): \(database) does not have a table named \"\(tableName)\"")
            }
            chosen = [t]
        } else {
            if condition != nil { Console.fatal("ALL tables are not allowed with condition") }
            chosen = schema.tables.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }
        var tables: [MonitoredTable] = []
        var requests = JSONObject()
        for table in chosen {
            var mt = MonitoredTable(table: table)
            var list: [JSON] = []
            let columnArgs = args.count > 1 ? Array(args.dropFirst()) : [""]
            for (i, arg) in columnArgs.enumerated() {
                var request = mt.request(for: arg, server: server, database: database)
                if i == 0, let condition { request.appendUnique("where", condition) }
                list.append(.object(request))
            }
            tables.append(mt)
            requests[table.name] = .array(list)
        }

        client.sendDBChangeAware()
        var params: [JSON] = [.string(database), .null, .object(requests)]
        if case .v3(let lastID) = version { params.append(.string(lastID.description)) }
        let requestID = client.sendRequest(version.method, params)

        let printer = MonitorPrinter(client: client, tables: tables)
        while true {
            switch client.receive() {
            case .reply(let result, let id) where id == requestID:
                switch version {
                case .v1: printer.printUpdates(result, initial: true)
                case .v2: printer.printUpdates2(result)
                case .v3: printV3Reply(result, printer)
                }
                Console.flush()
            case .notification("update", let p):
                if let a = p.arrayValue, a.count == 2, a[0].isNull {
                    printer.printUpdates(a[1], initial: false)
                    Console.flush()
                }
            case .notification("update2", let p):
                if case .v2 = version, let a = p.arrayValue, a.count == 2, a[0].isNull {
                    printer.printUpdates2(a[1])
                    Console.flush()
                }
            case .notification("update3", let p):
                if case .v3 = version, let a = p.arrayValue, a.count == 3, a[0].isNull {
                    Console.write("\nlast_id: \(a[1].stringValue ?? "")")
                    printer.printUpdates2(a[2])
                    Console.flush()
                }
            case .notification("monitor_canceled", _):
                Console.fatal("\(server): \(database) database was removed")
            default:
                break
            }
        }
    }

    /// `monitor3_print()`: `[found, last-id, table-updates2]`.
    private static func printV3Reply(_ result: JSON, _ printer: MonitorPrinter) {
        guard let a = result.arrayValue else { return Console.error("<result> is not array") }
        if a.count != 3 { Console.error("<result> should have 3 elements, but has \(a.count).") }
        guard a.count == 3 else { return }
        Console.write("found: \(a[0].boolValue == true ? "true" : "false"), last_id: \(a[1].stringValue ?? "")\n")
        printer.printUpdates2(a[2])
    }

    /// The errno-style code of a failed receive or send (`EPROTO` for a garbled message).
}
