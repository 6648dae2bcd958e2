import JSON

extension Database {
    /// How a conversion treats a column still at its old type's default.
    public enum DefaultConversion: Sendable {
        /// Converts it like any other value (`ovsdb_convert()`, the server's online
        /// conversion): an integer column at 0 that becomes an optional integer holds `[0]`.
        case convert
        /// Leaves it at the new type's default (`ovsdb-tool convert`, which replays the file
        /// under the new schema, and a file leaves default values out): the same column
        /// becomes `[]`.
        case reset
    }

    /// A new database with `schema` holding this database's rows, as Open vSwitch converts a
    /// database to a new schema: tables and columns the new schema lacks are dropped, columns
    /// it adds start at their defaults, and every other value is carried over through its JSON
    /// form, so it must be valid for its new type (an integer may become a real, a value may
    /// move into a set, an enum may lose a value no row uses). The rows are then committed as
    /// one transaction, which collects unreferenced non-root rows, drops dangling weak
    /// references and checks strong references, `maxRows` and indexes.
    ///
    /// - Throws: the first value that does not fit its new column, or the commit's error.
    public func converted(to schema: DatabaseSchema, defaults: DefaultConversion = .convert) throws(OVSDBError) -> Database {
        let target = Database(schema: schema)
        let transaction = Transaction(target)
        for (t, table) in self.schema.tables.enumerated() {
            guard let newT = schema.position(of: table.name) else { continue }
            let newTable = schema.tables[newT]
            // For each new column, the old column it is filled from.
            let sources: [(new: Int, old: Int)] = newTable.columns.indices.compactMap { i in
                table.position(of: newTable.columns[i].name).map { (i, $0) }
            }
            for row in tables[t].rows.values {
                var converted = Row(defaultsFor: newTable, uuid: row.uuid)
                for (i, j) in sources {
                    let old = row.values[j], oldType = table.columns[j].type
                    if defaults == .reset && old == Datum.defaultValue(oldType) { continue }
                    converted.values[i] = try Datum(json: old.json, type: newTable.columns[i].type)
                }
                transaction.put(newT, converted)
            }
        }
        try transaction.commit()
        return target
    }
}
