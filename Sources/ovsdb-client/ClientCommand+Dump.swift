import Daemon
import JSON
import OVSDB

/// `dump`: every row of the database (or of one table, or some of its columns), one table
/// each, columns by name and rows sorted by value so that the output is reproducible.
extension ClientCommand {
    static let dump = ClientCommand(name: "dump", need: .database, minArgs: 0, maxArgs: .max, help: [
        Help(synopsis: "dump [SERVER] [DATABASE]", description: ["dump contents of DATABASE on SERVER to stdout"]),
    ]) { client, database, args in
        let schema = client.fetchSchema(database!)
        var tables: [TableSchema]
        var custom: [String] = []
        if let name = args.first {
            guard let t = schema.table(name) else { Console.fatal("No table \"\(name)\" found.") }
            tables = [t]
            for column in args.dropFirst() {
                guard ColumnRef(column, in: t) != nil else { Console.fatal("Table \"\(name)\" has no column \(column).") }
                custom.append(column)
            }
        } else {
            tables = schema.tables.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        }

        // The columns each select asks for, in the order OVS's shash of them yields.
        func columns(_ t: TableSchema) -> [String] {
            (custom.isEmpty ? t.columnNamesInShashOrder : ShashOrder(custom).keys).filter { $0 != "_version" }
        }
        let ops: [JSON] = tables.map { t in
            ["op": "select", "table": .string(t.name), "where": [], "columns": .array(columns(t).map { .string($0) })]
        }
        let result = client.call("transact", [.string(database!)] + ops)
        guard let results = result.arrayValue, results.count == tables.count else {
            Console.fatal("reply is not array of \(tables.count) elements: \(JSONSerializer.string(result.inShashOrder))")
        }
        for (t, opResult) in zip(tables, results) {
            guard let rows = opResult["rows"]?.arrayValue else {
                Console.fatal("\(t.name) table reply is not an object with a \"rows\" member array: \(JSONSerializer.string(opResult.inShashOrder))")
            }
            client.printTable(DumpTable(table: t, columns: columns(t), rows: rows).textTable)
        }
    }
}

/// One table of a `dump` (`dump_table()`).
struct DumpTable {
    var table: TableSchema
    /// The columns shown, by name (`_version` never).
    var columns: [String]
    var types: [ColumnType]
    /// Each row's values, parallel to `columns`.
    var data: [[Datum]]

    init(table: TableSchema, columns selected: [String], rows: [JSON]) {
        self.table = table
        columns = selected.filter { $0 != "_version" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        types = columns.map { ColumnRef($0, in: table)!.type(in: table) }
        var data: [[Datum]] = []
        for (y, row) in rows.enumerated() {
            guard let values = row.objectValue else {
                Console.fatal("row \(y) in table \(table.name) response is not a JSON object: \(JSONSerializer.string(row.inShashOrder))")
            }
            var datums: [Datum] = []
            for (x, column) in columns.enumerated() {
                guard let json = values[column] else {
                    Console.fatal("row \(y) in table \(table.name) response lacks \(column) column")
                }
                do {
                    datums.append(try Datum(uncheckedSizeJSON: json, type: DumpTable.unconstrained(types[x])))
                } catch {
                    Console.fatal(Client.text(of: error))
                }
            }
            data.append(datums)
        }
        self.data = data
        sortRows()
    }

    /// The type without its constraints (`ovsdb_unconstrained_datum_from_json()`).
    static func unconstrained(_ type: ColumnType) -> ColumnType {
        ColumnType(key: BaseType(type.key.type), value: type.value.map { BaseType($0.type) }, min: 0, max: .max)
    }

    /// Sorts rows by their values, column by column, comparing uuid columns (random, so
    /// irreproducible) only to break ties (`compare_rows()`).
    private mutating func sortRows() {
        let isUUID = types.map { $0.key.type == .uuid }
        let order = columns.indices.filter { !isUUID[$0] } + columns.indices.filter { isUUID[$0] }
        data.sort { a, b in
            for x in order {
                let c = Datum.compare3way(a[x], b[x])
                if c != 0 { return c < 0 }
            }
            return false
        }
    }

    var textTable: TextTable {
        var t = TextTable(headings: columns, caption: "\(table.name) table")
        for row in data {
            t.addRow(row.indices.map { .datum(row[$0].json, types[$0]) })
        }
        return t
    }
}
