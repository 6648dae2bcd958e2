import JSON
import OVSDB

/// The client-side copy of the selected part of one database, kept current by monitor updates
/// (the data half of Open vSwitch's `struct ovsdb_idl`, with no I/O).
///
/// It is a value: a reader takes a copy in O(1) (tables are copy-on-write dictionaries) and
/// keeps a consistent view while the connection applies newer updates to its own copy.
public struct IDLReplica: Sendable {
    public let schema: DatabaseSchema
    public let selection: IDLSelection
    /// Table name → rows by uuid.
    public private(set) var tables: [String: [UUID: IDLRow]]
    /// Bumped by every update that changed something (`ovsdb_idl_get_seqno`).
    public private(set) var seqno: UInt64 = 0
    /// The last transaction the server told us about (`monitor_cond_since`'s `last-txn-id`).
    public internal(set) var lastTransactionID: UUID?
    /// Changes since the last `takeChanges()`, when tracking is on.
    public private(set) var changes: [IDLChange] = []
    public var tracksChanges = false

    public init(schema: DatabaseSchema, selection: IDLSelection) {
        self.schema = schema
        self.selection = selection.restricted(to: schema)
        var tables: [String: [UUID: IDLRow]] = [:]
        for t in self.selection.tables.keys { tables[t] = [:] }
        self.tables = tables
    }

    // MARK: Reading

    /// The rows of `table` (none if it is not selected).
    public func rows(_ table: String) -> [UUID: IDLRow] { tables[table] ?? [:] }

    public func row(_ table: String, _ uuid: UUID) -> IDLRow? { tables[table]?[uuid] }

    /// `column` of row `uuid` in `table`, the default value if the row lacks it.
    public func value(_ table: String, _ uuid: UUID, _ column: String) -> Datum {
        let type = schema.table(table)?.column(column)?.type ?? ColumnSchema.uuidType
        return tables[table]?[uuid]?.value(column, type) ?? Datum.defaultValue(type)
    }

    /// Returns and forgets the changes tracked so far.
    public mutating func takeChanges() -> [IDLChange] {
        defer { changes = [] }
        return changes
    }

    // MARK: Updating

    /// Applies the `<table-updates>` of an `update` (version 1) or the `<table-updates2>` of
    /// `update2`/`update3` and of a monitor reply.
    public mutating func apply(_ updates: JSON, version: MonitorVersion) throws(IDLError) {
        guard let tablesJSON = updates.objectValue else { throw IDLError.protocolError("<table-updates> is not an object") }
        var changed = false
        for (tableName, rowsJSON) in tablesJSON {
            guard let table = schema.table(tableName), tables[tableName] != nil else { continue }
            guard let rows = rowsJSON.objectValue else { throw IDLError.protocolError("<table-update> for \(tableName) is not an object") }
            for (uuidText, rowUpdate) in rows {
                guard let uuid = UUID(uuidText) else { throw IDLError.protocolError("\(uuidText) is not a valid uuid") }
                let c = version == .v1
                    ? try applyV1(rowUpdate, uuid, table)
                    : try applyV2(rowUpdate, uuid, table)
                changed = changed || c
            }
        }
        if changed { seqno &+= 1 }
    }

    /// Replaces the whole contents by a fresh initial state (a reconnect whose history the
    /// server no longer had), recording as changes exactly what differs from before.
    public mutating func replaceAll(with updates: JSON, version: MonitorVersion) throws(IDLError) {
        var fresh = IDLReplica(schema: schema, selection: selection)
        try fresh.apply(updates, version: version)
        var changed = false
        for (tableName, newRows) in fresh.tables {
            let oldRows = tables[tableName] ?? [:]
            for (uuid, row) in newRows {
                if let old = oldRows[uuid] {
                    if old != row {
                        let cols = Set(old.columns.keys).union(row.columns.keys).filter { old.columns[$0] != row.columns[$0] }
                        track(.init(table: tableName, uuid: uuid, kind: .modify, columns: cols))
                        changed = true
                    }
                } else {
                    track(.init(table: tableName, uuid: uuid, kind: .insert, columns: Set(row.columns.keys)))
                    changed = true
                }
            }
            for (uuid, old) in oldRows where newRows[uuid] == nil {
                track(.init(table: tableName, uuid: uuid, kind: .delete, columns: Set(old.columns.keys)))
                changed = true
            }
        }
        tables = fresh.tables
        if changed { seqno &+= 1 }
    }

    private mutating func track(_ change: IDLChange) {
        if tracksChanges { changes.append(change) }
    }

    /// `{"old": ..., "new": ...}`: `new` holds every selected column.
    private mutating func applyV1(_ update: JSON, _ uuid: UUID, _ table: TableSchema) throws(IDLError) -> Bool {
        guard let o = update.objectValue else { throw IDLError.protocolError("<row-update> is not an object") }
        guard let new = o["new"], !new.isNull else {
            return removeRow(uuid, table.name)
        }
        let columns = try decodeColumns(new, table)
        let existed = tables[table.name]![uuid]
        let row = IDLRow(uuid: uuid, columns: columns)
        guard existed != row else { return false }
        tables[table.name]![uuid] = row
        if let existed {
            let cols = Set(existed.columns.keys).union(columns.keys).filter { existed.columns[$0] != columns[$0] }
            track(.init(table: table.name, uuid: uuid, kind: .modify, columns: cols))
        } else {
            track(.init(table: table.name, uuid: uuid, kind: .insert, columns: Set(columns.keys)))
        }
        return true
    }

    /// `{"initial"|"insert"|"modify"|"delete": row}`; `modify` carries diffs.
    private mutating func applyV2(_ update: JSON, _ uuid: UUID, _ table: TableSchema) throws(IDLError) -> Bool {
        guard let o = update.objectValue, let (kind, body) = o.first else {
            throw IDLError.protocolError("<row-update2> is not an object with one member")
        }
        switch kind {
        case "initial", "insert":
            let columns = try decodeColumns(body, table)
            let existed = tables[table.name]![uuid] != nil
            tables[table.name]![uuid] = IDLRow(uuid: uuid, columns: columns)
            track(.init(table: table.name, uuid: uuid, kind: existed ? .modify : .insert, columns: Set(columns.keys)))
            return true
        case "delete":
            return removeRow(uuid, table.name)
        case "modify":
            guard var row = tables[table.name]![uuid] else {
                throw IDLError.protocolError("modify of missing row \(uuid) in \(table.name)")
            }
            guard let diffs = body.objectValue else { throw IDLError.protocolError("<row> is not an object") }
            var cols: Set<String> = []
            for (name, json) in diffs {
                guard let column = table.column(name), selection.contains(name, of: table.name) else { continue }
                let diff = try decode(json, column.type.with(min: 0, max: .max), name)
                var value = row.value(name, column.type)
                value.apply(diff: diff, type: column.type)
                row.columns[name] = value
                cols.insert(name)
            }
            tables[table.name]![uuid] = row
            track(.init(table: table.name, uuid: uuid, kind: .modify, columns: cols))
            return true
        default:
            throw IDLError.protocolError("unknown <row-update2> member \"\(kind)\"")
        }
    }

    private mutating func removeRow(_ uuid: UUID, _ table: String) -> Bool {
        guard let old = tables[table]!.removeValue(forKey: uuid) else { return false }
        track(.init(table: table, uuid: uuid, kind: .delete, columns: Set(old.columns.keys)))
        return true
    }

    private func decodeColumns(_ json: JSON, _ table: TableSchema) throws(IDLError) -> [String: Datum] {
        guard let o = json.objectValue else { throw IDLError.protocolError("<row> is not an object") }
        var columns: [String: Datum] = [:]
        columns.reserveCapacity(o.count)
        for (name, value) in o {
            guard let column = table.column(name), selection.contains(name, of: table.name) else { continue }
            columns[name] = try decode(value, column.type, name)
        }
        return columns
    }

    private func decode(_ json: JSON, _ type: ColumnType, _ column: String) throws(IDLError) -> Datum {
        do {
            return try Datum(uncheckedSizeJSON: json, type: type)
        } catch {
            throw IDLError.protocolError("bad value for column \(column): \(error)")
        }
    }
}

/// Which monitor method (and so which update format) a replica is fed by.
public enum MonitorVersion: Sendable, Equatable {
    /// `monitor` and `update`.
    case v1
    /// `monitor_cond` and `update2`.
    case v2
    /// `monitor_cond_since` and `update3`.
    case v3
}

/// Why the IDL could not do what was asked.
public enum IDLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The server sent something that does not follow RFC 7047 or its extensions.
    case protocolError(String)
    /// The connection failed or closed, with the system's reason ("No such file or directory",
    /// "End of file").
    case connection(String)
    /// The server answered a request with an error.
    case server(String)

    public var description: String {
        switch self {
        case .protocolError(let s): return "protocol error: \(s)"
        case .connection(let s): return s
        case .server(let s): return s
        }
    }
}
