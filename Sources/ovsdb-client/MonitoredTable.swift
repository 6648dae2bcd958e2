import Daemon
import JSON
import OVSDB

/// A table being monitored: its schema and the columns shown, in order.
struct MonitoredTable {
    var table: TableSchema
    var columns: [String] = []

    init(table: TableSchema) { self.table = table }

    func type(of column: String) -> ColumnType { ColumnRef(column, in: table)!.type(in: table) }

    /// `parse_monitor_columns()`: one command-line column argument (`a,b,!initial`) as a
    /// `<monitor-request>`, adding its columns to those shown. No columns named means every
    /// column but `_uuid`, by name, then `_version`.
    mutating func request(for argument: String, server: String, database: String) -> JSONObject {
        var initial = true, insert = true, delete = true, modify = true
        var named: [JSON] = []
        for token in argument.split(separator: ",") {
            switch token {
            case "!initial": initial = false
            case "!insert": insert = false
            case "!delete": delete = false
            case "!modify": modify = false
            default:
                let name = String(token)
                guard ColumnRef(name, in: table) != nil else {
                    Console.fatal("\(server): table \"\(table.name)\" in \(database) does not have a column named \"\(name)\"")
                }
                add(name, server, &named)
            }
        }
        if named.isEmpty {
            let all = table.columns.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for name in all { add(name, server, &named) }
            add("_version", server, &named)
        }
        var request = JSONObject()
        request.appendUnique("columns", .array(named))
        if !initial || !insert || !delete || !modify {
            request.appendUnique("select", ["initial": .bool(initial), "insert": .bool(insert),
                                            "delete": .bool(delete), "modify": .bool(modify)])
        }
        return request
    }

    private mutating func add(_ column: String, _ server: String, _ named: inout [JSON]) {
        if columns.contains(column) { Console.fatal("\(server): column \"\(column)\" mentioned multiple times") }
        columns.append(column)
        named.append(.string(column))
    }
}
