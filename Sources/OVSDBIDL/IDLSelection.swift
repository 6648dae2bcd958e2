import OVSDB

/// Which tables and columns a replica follows (Open vSwitch's `ovsdb_idl_add_table` and
/// `ovsdb_idl_add_column`). A table may be selected with no columns: its rows are then known
/// by uuid only.
public struct IDLSelection: Equatable, Sendable {
    /// Table name → selected column names.
    public private(set) var tables: [String: Set<String>] = [:]

    public init() {}

    /// Follows `table`'s rows (by uuid, until columns are added).
    public mutating func addTable(_ table: String) {
        if tables[table] == nil { tables[table] = [] }
    }

    /// Follows `column` of `table`.
    public mutating func addColumn(_ column: String, of table: String) {
        tables[table, default: []].insert(column)
    }

    /// Follows every column of `table`.
    public mutating func addAllColumns(of table: TableSchema) {
        for c in table.columns { addColumn(c.name, of: table.name) }
    }

    public func contains(_ column: String, of table: String) -> Bool {
        tables[table]?.contains(column) ?? false
    }

    /// The selection restricted to what `schema` has (a server with an older schema lacks
    /// some columns; like Open vSwitch's IDL, we follow what exists), plus every table a
    /// selected column refers to, so that references resolve to known rows (`add_ref_table`).
    public func restricted(to schema: DatabaseSchema) -> IDLSelection {
        var s = IDLSelection()
        for (table, columns) in tables {
            guard let t = schema.table(table) else { continue }
            let present = columns.filter { t.column($0) != nil }
            s.tables[table, default: []].formUnion(present)
            for name in present {
                let type = t.column(name)!.type
                for ref in [type.key.refTable, type.value?.refTable].compactMap({ $0 }) where schema.table(ref) != nil {
                    s.addTable(ref)
                }
            }
        }
        return s
    }
}
