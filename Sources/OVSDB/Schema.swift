import JSON

/// One column of a table schema.
public struct ColumnSchema: Equatable, Sendable {
    public var name: String
    public var type: ColumnType
    /// Ephemeral columns are not written to disk.
    public var ephemeral: Bool
    /// Immutable columns may be set only by insert.
    public var mutable: Bool

    public init(name: String, type: ColumnType, ephemeral: Bool = false, mutable: Bool = true) {
        self.name = name
        self.type = type
        self.ephemeral = ephemeral
        self.mutable = mutable
    }

    /// The type of the implicit `_uuid` and `_version` columns.
    public static let uuidType = ColumnType(key: BaseType(.uuid))
}

/// One table of a database schema.
public struct TableSchema: Equatable, Sendable {
    public var name: String
    /// The user columns in schema order; `_uuid` and `_version` are implicit.
    public private(set) var columns: [ColumnSchema]
    public var isRoot: Bool
    public var maxRows: Int?
    /// Each index is a list of column positions whose values must be unique together.
    public var indexes: [[Int]]
    private var positions: [String: Int]
    /// Positions of the columns holding strong references, worked out once because commits
    /// consult them for every changed row.
    public private(set) var strongReferenceColumns: [Int]
    /// Positions of the columns written to disk (all but the ephemeral ones).
    public private(set) var persistentColumns: [Int]

    public init(name: String, columns: [ColumnSchema], isRoot: Bool = true, maxRows: Int? = nil, indexes: [[Int]] = []) {
        self.name = name
        self.columns = columns
        self.strongReferenceColumns = columns.indices.filter { columns[$0].type.references(.strong) }
        self.persistentColumns = columns.indices.filter { !columns[$0].ephemeral }
        self.isRoot = isRoot
        self.maxRows = maxRows
        self.indexes = indexes
        var p: [String: Int] = [:]
        for (i, c) in columns.enumerated() { p[c.name] = i }
        self.positions = p
    }

    /// The position of user column `name` in a row.
    public func position(of name: String) -> Int? { positions[name] }

    public func column(_ name: String) -> ColumnSchema? { positions[name].map { columns[$0] } }

    /// True if any column holds references of `refType` to `table`.
    public func references(_ table: String, _ refType: BaseType.RefType) -> Bool {
        columns.contains { c in
            (c.type.key.refTable == table && c.type.key.refType == refType)
                || (c.type.value?.refTable == table && c.type.value?.refType == refType)
        }
    }
}

/// A database schema (RFC 7047 §3.2).
public struct DatabaseSchema: Equatable, Sendable {
    public var name: String
    public var version: String
    public var cksum: String?
    public private(set) var tables: [TableSchema]
    private var positions: [String: Int]

    public init(name: String, version: String, cksum: String? = nil, tables: [TableSchema]) {
        self.name = name
        self.version = version
        self.cksum = cksum
        self.tables = tables
        var p: [String: Int] = [:]
        for (i, t) in tables.enumerated() { p[t.name] = i }
        self.positions = p
    }

    public func position(of table: String) -> Int? { positions[table] }
    public func table(_ name: String) -> TableSchema? { positions[name].map { tables[$0] } }
}

// MARK: - JSON

extension DatabaseSchema {
    /// Parses and validates a schema, as `ovsdb-tool create` and the server do.
    public init(json: JSON) throws(OVSDBError) {
        guard let o = json.objectValue else { throw .syntax(json, "database schema must be an object") }
        for key in o.keys where !["name", "version", "cksum", "tables", "doc"].contains(key) {
            throw .syntax(json, "Parsing database schema failed: Member '\(key)' is present but not allowed here.")
        }
        guard let name = o["name"]?.stringValue else {
            throw .syntax(json, "Parsing database schema failed: Required 'name' member is missing.")
        }
        guard DatabaseSchema.isIdentifier(name) else { throw .syntax(json, "name must be a valid id") }
        var version = ""
        if let v = o["version"] {
            guard let s = v.stringValue, DatabaseSchema.isVersion(s) else {
                throw .syntax(json, "schema version \"\(v.stringValue ?? v.description)\" not in format x.y.z")
            }
            version = s
        }
        let cksum = o["cksum"]?.stringValue
        guard let tablesJSON = o["tables"]?.objectValue else {
            throw .syntax(json, "Parsing database schema failed: Required 'tables' member is missing.")
        }
        var tables: [TableSchema] = []
        for (tableName, tableJSON) in tablesJSON {
            if tableName.hasPrefix("_") { throw .syntax(json, "names beginning with \"_\" are reserved") }
            guard DatabaseSchema.isIdentifier(tableName) else { throw .syntax(json, "name must be a valid id") }
            tables.append(try TableSchema(json: tableJSON, name: tableName))
        }
        // Schemas from before garbage collection have no isRoot at all: every table is a root.
        if !tables.contains(where: \.isRoot) {
            for i in tables.indices { tables[i].isRoot = true }
        }
        self.init(name: name, version: version, cksum: cksum, tables: tables)
        for t in tables {
            for c in t.columns {
                for base in [c.type.key, c.type.value].compactMap({ $0 }) {
                    if let ref = base.refTable, self.table(ref) == nil {
                        throw .syntax(json, "column \(c.name) in table \(t.name) refers to undefined table \(ref)")
                    }
                }
            }
        }
    }

    public var json: JSON {
        var o = JSONObject()
        o.appendUnique("name", .string(name))
        if !version.isEmpty { o.appendUnique("version", .string(version)) }
        if let cksum, !cksum.isEmpty { o.appendUnique("cksum", .string(cksum)) }
        let allRoot = tables.allSatisfy(\.isRoot)
        var t = JSONObject(minimumCapacity: tables.count)
        for table in tables { t.appendUnique(table.name, table.json(defaultIsRoot: allRoot)) }
        o.appendUnique("tables", .object(t))
        return .object(o)
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.utf8.first, f == UInt8(ascii: "_") || (f | 0x20 >= 0x61 && f | 0x20 <= 0x7A) else { return false }
        return s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    static func isVersion(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }
}

extension TableSchema {
    init(json: JSON, name: String) throws(OVSDBError) {
        guard let o = json.objectValue else { throw .syntax(json, "table schema for table \(name) must be an object") }
        for key in o.keys where !["columns", "mutable", "maxRows", "isRoot", "indexes", "doc"].contains(key) {
            throw .syntax(json, "Parsing table schema for table \(name) failed: Member '\(key)' is present but not allowed here.")
        }
        guard let cols = o["columns"]?.objectValue else {
            throw .syntax(json, "Parsing table schema for table \(name) failed: Required 'columns' member is missing.")
        }
        if cols.isEmpty { throw .syntax(json, "table must have at least one column") }
        var columns: [ColumnSchema] = []
        for (colName, colJSON) in cols {
            if colName.hasPrefix("_") { throw .syntax(json, "names beginning with \"_\" are reserved") }
            guard DatabaseSchema.isIdentifier(colName) else { throw .syntax(json, "name must be a valid id") }
            columns.append(try ColumnSchema(json: colJSON, name: colName))
        }
        var maxRows: Int?
        if let m = o["maxRows"] {
            guard let i = m.integerValue, i > 0 else { throw .syntax(json, "maxRows must be at least 1") }
            maxRows = Int(i)
        }
        let isRoot = o["isRoot"]?.boolValue ?? false
        self.init(name: name, columns: columns, isRoot: isRoot, maxRows: maxRows)
        if let idx = o["indexes"] {
            guard let list = idx.arrayValue else { throw .syntax(idx, "indexes must be an array") }
            for set in list {
                guard let names = set.arrayValue, !names.isEmpty else { throw .syntax(json, "index must have at least one column") }
                var positions: [Int] = []
                for n in names {
                    guard let s = n.stringValue, let p = position(of: s) else {
                        throw .syntax(n, "\(n.stringValue ?? n.description) is not a valid column name")
                    }
                    if columns[p].ephemeral {
                        throw .syntax(json, "ephemeral columns (such as \(s)) may not be indexed")
                    }
                    positions.append(p)
                }
                indexes.append(positions)
            }
        }
    }

    func json(defaultIsRoot: Bool) -> JSON {
        var o = JSONObject()
        var cols = JSONObject(minimumCapacity: columns.count)
        for c in columns { cols.appendUnique(c.name, c.json) }
        o.appendUnique("columns", .object(cols))
        if isRoot != defaultIsRoot { o.appendUnique("isRoot", .bool(isRoot)) }
        if let maxRows { o.appendUnique("maxRows", .integer(Int64(maxRows))) }
        if !indexes.isEmpty {
            o.appendUnique("indexes", .array(indexes.map { .array($0.map { .string(columns[$0].name) }) }))
        }
        return .object(o)
    }
}

extension ColumnSchema {
    init(json: JSON, name: String) throws(OVSDBError) {
        guard let o = json.objectValue else { throw .syntax(json, "column \(name) must be an object") }
        for key in o.keys where !["type", "ephemeral", "mutable", "doc"].contains(key) {
            throw .syntax(json, "Parsing schema for column \(name) failed: Member '\(key)' is present but not allowed here.")
        }
        guard let t = o["type"] else {
            throw .syntax(json, "Parsing schema for column \(name) failed: Required 'type' member is missing.")
        }
        self.init(name: name, type: try ColumnType(json: t),
                  ephemeral: o["ephemeral"]?.boolValue ?? false, mutable: o["mutable"]?.boolValue ?? true)
    }

    var json: JSON {
        var o = JSONObject()
        o.appendUnique("type", type.json)
        if ephemeral { o.appendUnique("ephemeral", true) }
        if !mutable { o.appendUnique("mutable", false) }
        return .object(o)
    }
}
