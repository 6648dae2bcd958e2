import Daemon
import JSON
import OVSDB

/// `transact` and `query`: a raw transaction from the command line.
extension ClientCommand {
    static let transactCommands: [ClientCommand] = [
        ClientCommand(name: "transact", need: .none, minArgs: 1, maxArgs: 2, help: [
            Help(synopsis: "transact [SERVER] TRANSACTION", description: [
                "run TRANSACTION (params for \"transact\" request) on SERVER",
                "and print the results as JSON on stdout",
            ]),
        ]) { client, _, args in
            client.printJSON(transact(client, args, Client.parseJSON(args.last!)))
        },
        ClientCommand(name: "query", need: .none, minArgs: 1, maxArgs: 2, help: [
            Help(synopsis: "query [SERVER] TRANSACTION", description: [
                "run TRANSACTION (params for \"transact\" request) on SERVER,",
                "as read-only, and print the results as JSON on stdout",
            ]),
        ]) { client, _, args in
            // An "abort" at the end makes the transaction change nothing; its own result is
            // not shown.
            guard case .array(var ops) = Client.parseJSON(args.last!) else { Console.fatal("not a valid OVSDB query") }
            ops.append(["op": "abort"])
            let abortIndex = ops.count - 2
            var result = transact(client, args, .array(ops))
            if case .array(var results) = result, results.count == abortIndex + 1,
               results[abortIndex]["error"]?.stringValue == "aborted" {
                results.removeLast()
                result = .array(results)
            }
            client.printJSON(result)
        },
    ]

    /// `do_transact__()`: checks the transaction's shape, connects (the database is the
    /// transaction's first element) and runs it.
    private static func transact(_ client: Client, _ args: [String], _ transaction: JSON) -> JSON {
        guard let params = transaction.arrayValue, let database = params.first?.stringValue else {
            Console.fatal("not a valid OVSDB query")
        }
        _ = client.openRPC(minArgs: 1, needsDatabase: true, args, database: database)
        if client.options.dbChangeAware == 1 { client.sendDBChangeAware() }
        return client.call("transact", params)
    }
}
