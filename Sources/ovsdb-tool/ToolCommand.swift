import OVSDB

/// One ovsdb-tool command: its name, its arguments as `list-commands` shows them, how many it
/// takes, its line of `--help`, and what it does. `ToolCommand.all` is the single source of
/// the commands, their help and their argument checks.
struct ToolCommand {
    var name: String
    /// The arguments, lower case (`[db [schema]]`); `--help` shows them upper case.
    var usage: String?
    var minArgs: Int
    var maxArgs: Int
    /// Options written before the command in `--help` (`[-m]...`).
    var options: String?
    /// What `--help` says the command does; nil leaves it out of the help.
    var summary: String?
    /// Runs the command on its arguments (the command name not included); returns the exit
    /// status.
    var run: (Tool, [String]) throws -> Int32

    /// The commands in Open vSwitch's order.
    static let all: [ToolCommand] = [
        ToolCommand(name: "create", usage: "[db [schema]]", minArgs: 0, maxArgs: 2,
                    summary: "create DB with the given SCHEMA", run: { try $0.create($1) }),
        ToolCommand(name: "compact", usage: "[db [dst]]", minArgs: 0, maxArgs: 2,
                    summary: "compact DB in-place (or to DST)", run: { try $0.compact($1) }),
        ToolCommand(name: "convert", usage: "[db [schema [dst]]]", minArgs: 0, maxArgs: 3,
                    summary: "convert DB to SCHEMA (to DST)", run: { try $0.convert($1) }),
        ToolCommand(name: "needs-conversion", usage: nil, minArgs: 0, maxArgs: 2,
                    summary: nil, run: { try $0.needsConversion($1) }),
        ToolCommand(name: "db-name", usage: "[db]", minArgs: 0, maxArgs: 1,
                    summary: "report name of schema used by DB", run: { try $0.dbName($1) }),
        ToolCommand(name: "db-version", usage: "[db]", minArgs: 0, maxArgs: 1,
                    summary: "report version of schema used by DB", run: { try $0.dbVersion($1) }),
        ToolCommand(name: "db-cksum", usage: "[db]", minArgs: 0, maxArgs: 1,
                    summary: "report checksum of schema used by DB", run: { try $0.dbChecksum($1) }),
        ToolCommand(name: "schema-name", usage: "[schema]", minArgs: 0, maxArgs: 1,
                    summary: "report SCHEMA's name", run: { try $0.schemaName($1) }),
        ToolCommand(name: "schema-version", usage: "[schema]", minArgs: 0, maxArgs: 1,
                    summary: "report SCHEMA's schema version", run: { try $0.schemaVersion($1) }),
        ToolCommand(name: "schema-cksum", usage: "[schema]", minArgs: 0, maxArgs: 1,
                    summary: "report SCHEMA's checksum", run: { try $0.schemaChecksum($1) }),
        ToolCommand(name: "compare-versions", usage: "a op b", minArgs: 3, maxArgs: 3,
                    summary: "compare OVSDB schema version numbers", run: { try $0.compareVersions($1) }),
        ToolCommand(name: "query", usage: "[db] trns", minArgs: 1, maxArgs: 2,
                    summary: "execute read-only transaction on DB", run: { try $0.transact($1, readWrite: false) }),
        ToolCommand(name: "transact", usage: "[db] trns", minArgs: 1, maxArgs: 2,
                    summary: "execute read/write transaction on DB", run: { try $0.transact($1, readWrite: true) }),
        ToolCommand(name: "show-log", usage: "[db]", minArgs: 0, maxArgs: 1, options: "[-m]...",
                    summary: "print DB's log entries", run: { try $0.showLog($1) }),
        ToolCommand(name: "help", usage: nil, minArgs: 0, maxArgs: .max,
                    summary: nil, run: { tool, _ in tool.write(Tool.usage); return 0 }),
        ToolCommand(name: "list-commands", usage: nil, minArgs: 0, maxArgs: .max,
                    summary: nil, run: { tool, _ in tool.write(ToolCommand.listing); return 0 }),
    ]

    /// The `--help` line: `  [OPTIONS] NAME USAGE` padded to a column, then the summary.
    var helpLine: String? {
        guard let summary else { return nil }
        var synopsis = [options, name, usage?.uppercased()].compactMap { $0 }.joined(separator: " ")
        synopsis += String(repeating: " ", count: max(1, 24 - synopsis.count))
        return "  \(synopsis)\(summary)\n"
    }

    /// What `list-commands` prints.
    static var listing: String {
        var s = "The available commands are:\n"
        for c in all {
            s += "  \(c.name)\(String(repeating: " ", count: max(0, 23 - c.name.count))) \(c.usage ?? "")\n"
        }
        return s
    }
}

extension Tool {
    /// Finds and runs the command named by the first argument, checking its argument count
    /// with Open vSwitch's messages.
    func runCommand(_ arguments: [String]) throws -> Int32 {
        guard let name = arguments.first else { throw ToolError("missing command name; use --help for help") }
        guard let command = ToolCommand.all.first(where: { $0.name == name }) else {
            throw ToolError("unknown command '\(name)'; use --help for help")
        }
        let args = Array(arguments.dropFirst())
        if args.count < command.minArgs {
            throw ToolError("'\(name)' command requires at least \(command.minArgs) arguments")
        }
        if args.count > command.maxArgs {
            throw ToolError("'\(name)' command takes at most \(command.maxArgs) arguments")
        }
        return try command.run(self, args)
    }
}
