import Daemon
import JSON
import JSONRPC

/// `lock`, `steal` and `unlock`: make the request, print the reply and every notification
/// (`locked`, `stolen`) as it comes, and hold the connection (and so the lock) until
/// interrupted.
extension ClientCommand {
    static let lockCommands: [ClientCommand] = [
        lockCommand("lock", "lock [SERVER] LOCK", "create or wait for LOCK in SERVER"),
        lockCommand("steal", "steal [SERVER] LOCK", "steal LOCK from SERVER"),
        lockCommand("unlock", "unlock [SERVER] LOCK", "unlock LOCK from SERVER"),
    ]

    private static func lockCommand(_ method: String, _ synopsis: String, _ description: String) -> ClientCommand {
        ClientCommand(name: method, need: .rpc, minArgs: 1, maxArgs: 1,
                      help: [Help(synopsis: synopsis, description: [description])]) { client, _, args in
            var pending: JSON? = client.sendRequest(method, [.string(args[0])])
            while true {
                switch client.receive() {
                case .reply(let result, let id) where id == pending:
                    client.printJSON(result)
                    Console.flush()
                    pending = nil
                case .notification(let name, let params):
                    Console.write(name + "\n")
                    client.printJSON(params)
                    Console.flush()
                default:
                    break
                }
            }
        }
    }
}
