import Daemon
import JSON
import OVSDB

/// Commands that read the server's databases and schemas.
extension ClientCommand {
    static let schemaCommands: [ClientCommand] = [
        ClientCommand(name: "list-dbs", need: .rpc, minArgs: 0, maxArgs: 0, help: [
            Help(synopsis: "list-dbs [SERVER]", description: ["list databases available on SERVER"]),
        ]) { client, _, _ in
            for name in client.fetchDatabases() { Console.write(name + "\n") }
        },
        ClientCommand(name: "get-schema", need: .database, minArgs: 0, maxArgs: 0, help: [
            Help(synopsis: "get-schema [SERVER] [DATABASE]", description: ["retrieve schema for DATABASE from SERVER"]),
        ]) { client, database, _ in
            client.printJSON(client.fetchSchema(database!).jsonInShashOrder)
        },
        ClientCommand(name: "get-schema-version", need: .database, minArgs: 0, maxArgs: 0, help: [
            Help(synopsis: "get-schema-version [SERVER] [DATABASE]", description: [
                "retrieve schema for DATABASE from SERVER and report only its",
                "version number on stdout",
            ]),
        ]) { client, database, _ in
            Console.write(client.fetchSchema(database!).version + "\n")
        },
        ClientCommand(name: "get-schema-cksum", need: .database, minArgs: 0, maxArgs: 0, help: [
            Help(synopsis: "get-schema-cksum [SERVER] [DATABASE]", description: [
                "retrieve schema for DATABASE from SERVER and report only its",
                "checksum on stdout",
            ]),
        ]) { client, database, _ in
            Console.write((client.fetchSchema(database!).cksum ?? "") + "\n")
        },
        ClientCommand(name: "list-tables", need: .database, minArgs: 0, maxArgs: 0, help: [
            Help(synopsis: "list-tables [SERVER] [DATABASE]", description: ["list tables for DATABASE on SERVER"]),
        ]) { client, database, _ in
            var t = TextTable(headings: ["Table"])
            for table in client.fetchSchema(database!).tablesInShashOrder { t.addRow([.text(table.name)]) }
            client.printTable(t)
        },
        ClientCommand(name: "list-columns", need: .database, minArgs: 0, maxArgs: 1, help: [
            Help(synopsis: "list-columns [SERVER] [DATABASE] [TABLE]",
                 description: ["list columns in TABLE (or all tables) in DATABASE on SERVER"]),
        ]) { client, database, args in
            let only = args.first
            let schema = client.fetchSchema(database!)
            var t = TextTable(headings: (only == nil ? ["Table"] : []) + ["Column", "Type"])
            for table in schema.tablesInShashOrder where only == nil || only == table.name {
                for name in table.columnNamesInShashOrder {
                    let type = ColumnRef(name, in: table)!.type(in: table)
                    t.addRow((only == nil ? [.text(table.name)] : []) + [.text(name), .json(type.json)])
                }
            }
            client.printTable(t)
        },
    ]
}
