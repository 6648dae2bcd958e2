import Daemon
import JSON
import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// `backup` (the database as a standalone database file on stdout) and `restore` (a database
/// file's contents replacing the database's).
extension ClientCommand {
    static let backup = ClientCommand(name: "backup", need: .database, minArgs: 0, maxArgs: 0, help: [
        Help(synopsis: "backup [SERVER] [DATABASE] > SNAPSHOT",
             description: ["dump database contents in the form of a database file"]),
    ]) { client, database, _ in
        if isatty(STDOUT_FILENO) != 0 {
            Console.fatal("not writing backup to a terminal; please redirect stdout to a file")
        }
        let schema = client.fetchSchema(database!)
        let tables = schema.tablesInShashOrder
        // Every column but _version and the ephemeral ones.
        let ops: [JSON] = tables.map { t in
            let columns = t.columnNamesInShashOrder.filter { $0 == "_uuid" || ($0 != "_version" && !t.column($0)!.ephemeral) }
            return ["op": "select", "table": .string(t.name), "where": [], "columns": .array(columns.map { .string($0) })]
        }
        let result = client.call("transact", [.string(database!)] + ops)
        Console.write(LogFile.encode(schema.jsonInShashOrder))

        guard let results = result.arrayValue, results.count == tables.count else {
            Console.fatal("reply is not array of \(tables.count) elements: \(JSONSerializer.string(result.inShashOrder))")
        }
        // The record is written without sorting, so every object is put in the order OVS's
        // hash tables would give it.
        var record = ShashOrder()
        var members: [String: JSON] = [:]
        for (t, opResult) in zip(tables, results) {
            guard let rows = opResult["rows"]?.arrayValue else {
                Console.fatal("\(t.name) table reply is not an object with a \"rows\" member array: \(JSONSerializer.string(opResult.inShashOrder))")
            }
            if rows.isEmpty { continue }
            var rowOrder = ShashOrder()
            var rowsByUUID: [String: JSON] = [:]
            for row in rows {
                guard let values = row.objectValue else {
                    Console.fatal("\(t.name) table reply row is not an object: \(JSONSerializer.string(row.inShashOrder))")
                }
                guard let uuidJSON = values["_uuid"] else {
                    Console.fatal("\(t.name) table reply row lacks _uuid member: \(JSONSerializer.string(row.inShashOrder))")
                }
                let uuid: UUID
                do {
                    guard case .uuid(let u) = try Atom(json: uuidJSON, type: .uuid) else { continue }
                    uuid = u
                } catch {
                    Console.fatal(Client.text(of: error))
                }
                var order = ShashOrder(values.keys)
                order.remove("_uuid")
                var stripped = JSONObject()
                for k in order.keys { stripped.appendUnique(k, values[k]!.inShashOrder) }
                let key = uuid.description
                if rowsByUUID[key] == nil { rowOrder.insert(key) }
                rowsByUUID[key] = .object(stripped)
            }
            var rowsObject = JSONObject()
            for k in rowOrder.keys { rowsObject.appendUnique(k, rowsByUUID[k]!) }
            record.insert(t.name)
            members[t.name] = .object(rowsObject)
        }
        // ovsdb_file_txn_annotate().
        record.insert("_comment")
        members["_comment"] = "produced by \"ovsdb-client backup\""
        record.insert("_is_diff")
        members["_is_diff"] = true
        record.insert("_date")
        members["_date"] = .integer(wallClockMilliseconds())
        var out = JSONObject()
        for k in record.keys { out.appendUnique(k, members[k]!) }
        Console.write(LogFile.encode(.object(out)))
    }

    static func wallClockMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    static let restore = ClientCommand(name: "restore", need: .database, minArgs: 0, maxArgs: 0, help: [
        Help(synopsis: "[--force] restore [SERVER] [DATABASE] < SNAPSHOT",
             description: ["restore database contents from a database file"]),
    ]) { client, database, _ in
        if isatty(STDIN_FILENO) != 0 {
            Console.fatal("not reading backup from a terminal; please redirect stdin from a file")
        }
        let backup: DatabaseSnapshot
        do {
            backup = try DatabaseSnapshot(fileContents: readStandardInput(), name: "/dev/stdin")
        } catch {
            Console.fatal(Client.text(of: error))
        }
        let online = client.fetchSchema(database!)
        if backup.schema.json != online.json {
            let why = backup.schema.version != online.version
                ? "backup schema has version \"\(backup.schema.version)\" but database schema has version \"\(online.version)\""
                : "backup schema and database schema are both version \(backup.schema.version) but still differ"
            if !client.options.force {
                Console.fatal("\(why) (use --force to override differences, or \"ovsdb-client convert\" to change the schema)")
            }
            Console.log("ovsdb_client", "INFO", why)
        }

        var ops: [JSON] = [.string(backup.schema.name)]
        for table in backup.schema.tablesInShashOrder {
            let t = backup.schema.position(of: table.name)!
            ops.append(["op": "delete", "table": .string(table.name), "where": []])
            for row in backup.rows[t] {
                var values = JSONObject()
                for name in table.columnNamesInShashOrder where !name.hasPrefix("_") {
                    let i = table.position(of: name)!
                    let column = table.columns[i]
                    let datum = row.values[i]
                    if !column.ephemeral && datum != Datum.defaultValue(column.type) {
                        values.appendUnique(name, datum.jsonWithRowNames)
                    }
                }
                ops.append(["op": "insert", "table": .string(table.name),
                            "uuid-name": .string(row.uuid.rowName), "row": .object(values)])
            }
        }
        let result = client.call("transact", ops)
        checkTransactionReply(result)
    }

    /// `check_transaction_reply()`: every operation must have succeeded.
    static func checkTransactionReply(_ result: JSON) {
        guard let results = result.arrayValue else { Console.fatal("result is not array") }
        for r in results {
            guard let o = r.objectValue else { Console.fatal("result array element is not object") }
            if o["error"] != nil {
                Console.fatal("server returned error reply: \(JSONSerializer.string(r, options: .sortedKeys))")
            }
        }
    }

    private static func readStandardInput() -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress!, $0.count) }
            if n > 0 {
                bytes += buffer[0..<n]
            } else if n == 0 || errno != EINTR {
                return bytes
            }
        }
    }
}

extension UUID {
    /// The `uuid-name` `restore` gives a row (`ovsdb_data_row_name()`): `row` and the uuid
    /// with `_` for `-`.
    var rowName: String { "row" + description.replacingDashes }
}

extension String {
    fileprivate var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}

extension Datum {
    /// The JSON form with every uuid as a reference to the row `restore` inserts for it
    /// (`ovsdb_datum_to_json_with_row_names()`).
    var jsonWithRowNames: JSON {
        func atom(_ a: Atom) -> JSON {
            if case .uuid(let u) = a { return ["named-uuid", .string(u.rowName)] }
            return a.json
        }
        if let values {
            return ["map", .array(keys.indices.map { .array([atom(keys[$0]), atom(values[$0])]) })]
        }
        if keys.count == 1 { return atom(keys[0]) }
        return ["set", .array(keys.map(atom))]
    }
}
