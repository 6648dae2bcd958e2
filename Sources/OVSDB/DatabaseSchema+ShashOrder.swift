import JSON

/// The orders in which Open vSwitch's tools walk a schema they read from JSON. Its tables and
/// columns live in `struct shash`es, so `ovsdb-client list-tables`, `list-columns`, `backup`
/// and the columns a `dump` selects come out in hash order (see `ShashOrder`), not in schema
/// order. These assume the schema was parsed from JSON whose members came in this schema's
/// order, which is how `DatabaseSchema(json:)` keeps them.
extension DatabaseSchema {
    /// The tables as `SHASH_FOR_EACH (node, &schema->tables)` visits them.
    public var tablesInShashOrder: [TableSchema] {
        // The parser's JSON object reorders the names once, the schema's own shash again.
        let parsed = ShashOrder(tables.map(\.name)).keys
        return ShashOrder(parsed).keys.map { table($0)! }
    }

    /// The schema as `ovsdb_schema_to_json()` builds it, members in the order an unsorted
    /// `json_to_string()` writes them (the first record of an `ovsdb-client backup`).
    public var jsonInShashOrder: JSON {
        var o = JSONObject()
        o.appendUnique("name", .string(name))
        if !version.isEmpty { o.appendUnique("version", .string(version)) }
        if let cksum, !cksum.isEmpty { o.appendUnique("cksum", .string(cksum)) }
        let allRoot = tables.allSatisfy(\.isRoot)
        var t = JSONObject()
        for table in tablesInShashOrder { t.appendUnique(table.name, table.jsonForShash(defaultIsRoot: allRoot)) }
        o.appendUnique("tables", .object(t))
        return JSON.object(o).inShashOrder
    }
}

extension TableSchema {
    /// Every column name, `_uuid` and `_version` included, as
    /// `SHASH_FOR_EACH (node, &table_schema->columns)` visits them.
    public var columnNamesInShashOrder: [String] {
        ShashOrder(["_uuid", "_version"] + ShashOrder(columns.map(\.name)).keys).keys
    }

    /// `ovsdb_table_schema_to_json()`, members in construction order.
    func jsonForShash(defaultIsRoot: Bool) -> JSON {
        var o = JSONObject()
        if isRoot != defaultIsRoot { o.appendUnique("isRoot", .bool(isRoot)) }
        var cols = JSONObject()
        for name in columnNamesInShashOrder where !name.hasPrefix("_") {
            let c = column(name)!
            var cj = JSONObject()
            if !c.mutable { cj.appendUnique("mutable", false) }
            if c.ephemeral { cj.appendUnique("ephemeral", true) }
            cj.appendUnique("type", c.type.json)
            cols.appendUnique(name, .object(cj))
        }
        o.appendUnique("columns", .object(cols))
        if let maxRows { o.appendUnique("maxRows", .integer(Int64(maxRows))) }
        if !indexes.isEmpty {
            o.appendUnique("indexes", .array(indexes.map { .array($0.map { .string(columns[$0].name) }) }))
        }
        return .object(o)
    }
}
