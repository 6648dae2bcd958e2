import Daemon
import JSON
import JSONRPC
import Streams
#if canImport(Glibc)
import Glibc
#endif

/// `wait`: block until a database is added to, connected on, or removed from a server,
/// connecting (and reconnecting) as long as it takes.
extension ClientCommand {
    static let wait = ClientCommand(name: "wait", need: .none, minArgs: 2, maxArgs: 3, help: [
        Help(synopsis: "wait [SERVER] DATABASE STATE", description: [
            "wait until DATABASE reaches STATE (\"added\" or \"connected\" or \"removed\")",
            "in DATBASE on SERVER.",
        ]),
    ]) { client, _, args in
        let database = args[args.count - 2]
        let state = args[args.count - 1]
        guard ["connected", "added", "removed"].contains(state) else { Console.fatal("\(state): unknown state") }
        let remote = args.count > 2 ? args[0] : Client.defaultRemote

        // Until the row for `database` in _Server's Database table is connected, exists, or
        // does not exist.
        let rows: JSON = state == "connected" ? [["connected": true]] : state == "added" ? [[:]] : []
        let op: JSON = ["op": "wait", "table": "Database",
                        "where": [["name", "==", .string(database)]],
                        "columns": state == "connected" ? ["connected"] : [],
                        "until": "==", "rows": rows]

        waitUntil(client, remote, op)
    }

    /// Runs the `wait` operation on `remote` until it succeeds, reconnecting as needed.
    private static func waitUntil(_ client: Client, _ remote: String, _ op: JSON) -> Never {
        var session = ReconnectingSession(remote)
        while true {
            let rpc = session.connect()
            do {
                _ = try rpc.call("set_db_change_aware", [true])
            } catch .errorReply(let e) {
                Console.error("\(remote): set_db_change_aware failed (\(JSONSerializer.string(e.inShashOrder)))")
                exit(1)
            } catch {
                session.disconnected(error)
                continue
            }
            do {
                checkTransactionReply(try rpc.call("transact", ["_Server", op]))
                exit(0)
            } catch .errorReply(let e) {
                Console.fatal("transaction returned error: \(client.jsonText(e))")
            } catch {
                session.disconnected(error)
            }
        }
    }
}

/// A connection that is made again whenever it fails or drops, backing off 1, 2, 4 and then 8
/// seconds between attempts and logging as Open vSwitch's `reconnect` module does.
struct ReconnectingSession {
    let name: String
    private var backoff = 0

    init(_ name: String) { self.name = name }

    /// Connects, retrying until it works.
    mutating func connect() -> JSONRPCClient {
        let target: StreamTarget
        do {
            target = try StreamTarget(name)
        } catch {
            Console.fatal("\(name): \(error)")
        }
        while true {
            if backoff < 8000 { Console.log("reconnect", "INFO", "\(name): connecting...") }
            do {
                let rpc = try JSONRPCClient(connectingTo: target)
                Console.log("reconnect", "INFO", "\(name): connected")
                return rpc
            } catch {
                if backoff < 8000 {
                    Console.log("reconnect", "INFO", "\(name): connection attempt failed (\(error.reason))")
                }
                backOff()
            }
        }
    }

    /// Reports a dropped connection; the next `connect()` tries again straight away.
    mutating func disconnected(_ error: JSONRPCClient.Error) {
        if case .stream(let e) = error, e.isEndOfFile {
            Console.log("reconnect", "INFO", "\(name): connection closed by peer")
        } else if case .stream(let e) = error {
            Console.log("reconnect", "WARN", "\(name): connection dropped (\(e.reason))")
        } else {
            Console.log("reconnect", "WARN", "\(name): connection dropped (Protocol error)")
        }
        backoff = 1000
        usleep(1_000_000)
        FatalSignal.run()
    }

    private mutating func backOff() {
        if backoff < 1000 {
            backoff = 1000
        } else if backoff < 4000 {
            backoff *= 2
            Console.log("reconnect", "INFO", "\(name): waiting \(backoff / 1000) seconds before reconnect")
        } else {
            if backoff < 8000 {
                Console.log("reconnect", "INFO", "\(name): continuing to reconnect in the background but suppressing further logging")
            }
            backoff = 8000
        }
        usleep(useconds_t(backoff) * 1000)
        FatalSignal.run()
    }
}
