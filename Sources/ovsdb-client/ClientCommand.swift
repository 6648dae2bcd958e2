#if canImport(Glibc)
import Daemon
import Glibc
#endif

/// One `ovsdb-client` command: what it needs before it runs, how many arguments it takes
/// after the optional SERVER and DATABASE, its help, and what it does. The table is the single
/// source of the command list in `--help`.
struct ClientCommand {
    enum Need {
        /// The command connects by itself (or not at all).
        case none
        /// A connection to the server.
        case rpc
        /// A connection and a database name.
        case database
    }

    struct Help {
        var synopsis: String
        var description: [String]
    }

    var name: String
    var need: Need
    var minArgs: Int
    var maxArgs: Int
    var help: [Help]
    /// Runs with the connection made (per `need`), the database chosen, and the arguments left.
    var run: (Client, _ database: String?, _ args: [String]) -> Void

    static let all: [ClientCommand] = schemaCommands + transactCommands + monitorCommands
        + conversionCommands + [wait, dump, backup, restore] + lockCommands + [help]

    static let help = ClientCommand(name: "help", need: .none, minArgs: 0, maxArgs: .max, help: []) { _, _, _ in
        Usage.print()
    }

    /// Runs the command line's command and exits.
    static func main(_ options: ClientOptions) -> Never {
        guard let name = options.arguments.first else { Console.fatal("missing command name; use --help for help") }
        guard !name.isEmpty, let command = all.first(where: { $0.name == name }) else {
            Console.fatal("unknown command '\(name)'; use --help for help")
        }
        let client = Client(options: options)
        var args = Array(options.arguments.dropFirst())
        var database: String?
        if command.need != .none {
            (args, database) = client.openRPC(minArgs: command.minArgs, needsDatabase: command.need == .database, args)
        }
        guard args.count >= command.minArgs && args.count <= command.maxArgs else {
            Console.fatal("invalid syntax for '\(command.name)' (use --help for help)")
        }
        command.run(client, database, args)
        client.close()
        if fflush(stdout) != 0 || ferror(stdout) != 0 { Console.fatal("write to stdout failed") }
        exit(0)
    }
}
