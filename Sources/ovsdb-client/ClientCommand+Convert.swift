import Daemon
import JSON
import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// `convert` and `needs-conversion`: a database against a schema file.
extension ClientCommand {
    static let conversionCommands: [ClientCommand] = [
        ClientCommand(name: "convert", need: .none, minArgs: 1, maxArgs: 2, help: [
            Help(synopsis: "convert [SERVER] SCHEMA", description: ["convert database on SERVER named in SCHEMA to SCHEMA."]),
        ]) { client, _, args in
            let schema = readSchema(args.last!)
            _ = client.openRPC(minArgs: 1, needsDatabase: true, args, database: schema.name)
            client.sendDBChangeAware()
            _ = client.call("convert", [.string(schema.name), schema.jsonInShashOrder])
        },
        ClientCommand(name: "needs-conversion", need: .none, minArgs: 1, maxArgs: 2, help: [
            Help(synopsis: "needs-conversion [SERVER] SCHEMA", description: ["tests whether SCHEMA's db on SERVER needs conversion."]),
        ]) { client, _, args in
            let schema = readSchema(args.last!)
            _ = client.openRPC(minArgs: 1, needsDatabase: true, args, database: schema.name)
            let online = client.fetchSchema(schema.name)
            Console.write(schema.json == online.json ? "no\n" : "yes\n")
        },
        // Documents monitor's ALL form where Open vSwitch's help puts it.
        ClientCommand(name: "", need: .none, minArgs: 0, maxArgs: 0, help: [
            Help(synopsis: "monitor [SERVER] [DATABASE] ALL", description: ["monitor all changes to all columns in all tables"]),
        ]) { _, _, _ in },
    ]

    /// `ovsdb_schema_from_file()`, or the end of the program.
    static func readSchema(_ path: String) -> DatabaseSchema {
        guard let f = fopen(path, "r") else {
            Console.fatal("ovsdb error: \(path): could not open schema file", code: errno)
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        fclose(f)
        do {
            return try DatabaseSchema(json: try JSONParser.parse(bytes: bytes))
        } catch let e as OVSDBError {
            Console.fatal(Client.text(of: e))
        } catch {
            Console.fatal("\(path): \(error)")
        }
    }
}
