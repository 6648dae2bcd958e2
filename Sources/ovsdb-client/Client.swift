import Daemon
import JSON
import JSONRPC
import OVSDB
import Streams
#if canImport(Glibc)
import Glibc
#endif

/// What every command works with: the options, the connection and database chosen from the
/// command line, and the table printer. Failures end the program with Open vSwitch's messages.
final class Client {
    let options: ClientOptions
    var formatter: TableFormatter
    /// The connection, once `openRPC` has made it.
    private(set) var rpc: JSONRPCClient!
    /// The server as named on the command line (`jsonrpc_get_name()`).
    private(set) var serverName = ""

    init(options: ClientOptions) {
        self.options = options
        self.formatter = TableFormatter(style: options.style)
    }

    /// `unix:$OVS_RUNDIR/db.sock`.
    static var defaultRemote: String { "unix:\(Daemon.runDirectory)/db.sock" }

    /// Whether `arg` has the form of a remote (a letter first, a colon somewhere).
    static func looksLikeRemote(_ arg: String) -> Bool {
        guard let f = arg.utf8.first else { return false }
        return ((f | 0x20) >= 0x61 && (f | 0x20) <= 0x7A) && arg.contains(":")
    }

    // MARK: - Connecting

    /// Open vSwitch's `open_rpc()`: takes the server from the front of `args` if one is there
    /// (else the default), connects, and when the command needs a database takes it from the
    /// arguments if the server has one by that name, else picks `Open_vSwitch` or the one
    /// non-internal database. Returns the arguments left for the command.
    func openRPC(minArgs: Int, needsDatabase: Bool, _ args: [String], database: String? = nil) -> (args: [String], database: String?) {
        var rest = args[...]
        var remote = Client.defaultRemote
        if args.count > minArgs, Client.looksLikeRemote(args[0]) {
            remote = args[0]
            rest = rest.dropFirst()
        }
        connect(remote)
        var database = database
        if needsDatabase && database == nil {
            let dbs = fetchDatabases()
            if rest.count > minArgs, let first = rest.first, dbs.contains(first) {
                database = first
                rest = rest.dropFirst()
            } else if dbs.contains("Open_vSwitch") {
                database = "Open_vSwitch"
            } else {
                let candidates = dbs.filter { !$0.hasPrefix("_") }
                guard candidates.count == 1 else {
                    close()
                    Console.fatal("could not find a default database, please specify a database name")
                }
                database = candidates[0]
            }
        }
        return (Array(rest), database)
    }

    /// Connects to `server`, or ends the program as `open_jsonrpc()` does.
    func connect(_ server: String) {
        serverName = server
        let target: StreamTarget
        do {
            target = try StreamTarget(server)
        } catch {
            Console.fatal("failed to connect or listen to \"\(server)\"", code: EAFNOSUPPORT)
        }
        if target.isPassive {
            // Wait for the server to connect to us.
            Console.log("ovsdb_client", "INFO", "\(server): waiting for connection...")
            do {
                rpc = JSONRPCClient(stream: try BlockingStream.accept(on: target))
            } catch {
                Console.fatal("failed to accept connection on \"\(server)\"", code: error.code)
            }
            return
        }
        do {
            rpc = try JSONRPCClient(connectingTo: target)
        } catch {
            Console.fatal("failed to connect to \"\(server)\"", code: error.code)
        }
    }

    func close() { rpc?.close() }

    // MARK: - Calls

    /// `jsonrpc_transact_block()` then `check_txn()`: the result, or the end of the program.
    func call(_ method: String, _ params: [JSON]) -> JSON {
        do {
            return try rpc.call(method, params)
        } catch {
            failTransaction(error)
        }
    }

    /// Sends a request whose replies and notifications the caller reads with `receive()`;
    /// returns its id, or ends the program.
    func sendRequest(_ method: String, _ params: [JSON]) -> JSON {
        do {
            return try rpc.sendRequest(method, params)
        } catch {
            Console.fatal("\(serverName): send failed", code: Client.streamCode(error))
        }
    }

    /// The next message from the server, or the end of the program.
    func receive() -> JSONRPCMessage {
        do {
            return try rpc.receive()
        } catch {
            Console.fatal("\(serverName): receive failed", code: Client.streamCode(error))
        }
    }

    /// The errno to exit with for a failed exchange.
    private static func streamCode(_ error: any Error) -> Int32 {
        if case .stream(let e)? = error as? JSONRPCClient.Error { return e.code }
        return EPROTO
    }

    /// Ends the program for a failed call, in `check_txn()`'s words.
    func failTransaction(_ error: JSONRPCClient.Error) -> Never {
        switch error {
        case .stream(let e): Console.fatal("transaction failed", code: e.code)
        case .malformed: Console.fatal("transaction failed", code: EPROTO)
        case .errorReply(let e): Console.fatal("transaction returned error: \(jsonText(e))")
        }
    }

    /// `list_dbs`, sorted.
    func fetchDatabases() -> [String] {
        let result = call("list_dbs", [])
        guard let list = result.arrayValue else { Console.fatal("list_dbs response is not array") }
        var names: [String] = []
        for (i, name) in list.enumerated() {
            guard let s = name.stringValue else { Console.fatal("list_dbs response \(i) is not string") }
            names.append(s)
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `get_schema`, parsed.
    func fetchSchema(_ database: String) -> DatabaseSchema {
        let json = call("get_schema", [.string(database)])
        do {
            return try DatabaseSchema(json: json)
        } catch {
            Console.fatal(Client.text(of: error))
        }
    }

    /// `set_db_change_aware`, unless `--no-db-change-aware`; a refusal is fatal only with
    /// `--db-change-aware`.
    func sendDBChangeAware() {
        guard options.dbChangeAware != 0 else { return }
        do {
            _ = try rpc.call("set_db_change_aware", [true])
        } catch .errorReply(let e) {
            if options.dbChangeAware == 1 {
                Console.fatal("\(serverName): set_db_change_aware failed (\(JSONSerializer.string(e.inShashOrder)))")
            }
        } catch .stream(let e) {
            Console.fatal("\(serverName): error setting db_change_aware", code: e.code)
        } catch {
            Console.fatal("\(serverName): error setting db_change_aware", code: EPROTO)
        }
    }

    // MARK: - Output

    /// JSON as `print_json()` writes it: sorted members, pretty with `--pretty`.
    func jsonText(_ json: JSON) -> String {
        JSONSerializer.string(json, options: options.style.pretty ? [.sortedKeys, .pretty] : .sortedKeys)
    }

    /// `print_json()`: the JSON and a new-line on stdout.
    func printJSON(_ json: JSON) {
        Console.write(jsonText(json) + "\n")
    }

    /// `table_print()`.
    func printTable(_ table: TextTable) {
        Console.write(formatter.format(table))
    }

    /// `ovsdb_error_to_string()`.
    static func text(of error: any Error) -> String {
        guard let error = error as? OVSDBError else { return "\(error)" }
        var s = ""
        if let syntax = error.syntax { s += "syntax \"\(JSONSerializer.string(syntax, options: .sortedKeys))\": " }
        s += error.error
        if let details = error.details { s += ": \(details)" }
        return s
    }

    /// `parse_json()`: a command-line argument as JSON, or the end of the program.
    static func parseJSON(_ text: String) -> JSON {
        let json: JSON
        do {
            json = try JSONParser.parse(text)
        } catch {
            Console.fatal("\"\(text)\": \(error)")
        }
        switch json {
        case .array, .object:
            return json
        default:
            // Open vSwitch's parser takes only an array or object at the top level, and
            // complains once the scalar's token is complete: at its closing quote, or just
            // after a number or keyword.
            let bytes = Array(text.utf8)
            var end = bytes.count
            while end > 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[end - 1]) { end -= 1 }
            if case .string = json { end -= 1 }
            let line = bytes[0..<end].filter { $0 == 0x0A }.count
            let column = end - ((bytes[0..<end].lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0)
            Console.fatal("\"\(text)\": line \(line), column \(column), byte \(end): syntax error at beginning of input")
        }
    }
}
