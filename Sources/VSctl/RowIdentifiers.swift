import OVSDB

/// How a record argument names a row in each table (`struct ctl_table_class`): by uuid, as
/// `.` in a one-row table, by a name column, or through a named row that refers to it
/// (a Bridge's `controller`, a Port's `qos`, …).
struct RowIdentifier {
    /// The table whose `nameColumn` holds the name.
    var nameTable: String
    var nameColumn: String
    /// The column of the named row that refers to the wanted row, if the name is indirect.
    var uuidColumn: String?

    static let byTable: [String: RowIdentifier] = [
        "Bridge": .init(nameTable: "Bridge", nameColumn: "name"),
        "Controller": .init(nameTable: "Bridge", nameColumn: "name", uuidColumn: "controller"),
        "Interface": .init(nameTable: "Interface", nameColumn: "name"),
        "Mirror": .init(nameTable: "Mirror", nameColumn: "name"),
        "Manager": .init(nameTable: "Manager", nameColumn: "target"),
        "NetFlow": .init(nameTable: "Bridge", nameColumn: "name", uuidColumn: "netflow"),
        "Port": .init(nameTable: "Port", nameColumn: "name"),
        "QoS": .init(nameTable: "Port", nameColumn: "name", uuidColumn: "qos"),
        "sFlow": .init(nameTable: "Bridge", nameColumn: "name", uuidColumn: "sflow"),
        "Flow_Table": .init(nameTable: "Flow_Table", nameColumn: "name"),
        "IPFIX": .init(nameTable: "Bridge", nameColumn: "name", uuidColumn: "ipfix"),
        "AutoAttach": .init(nameTable: "Bridge", nameColumn: "name", uuidColumn: "auto_attach"),
        "Flow_Sample_Collector_Set": .init(nameTable: "Flow_Sample_Collector_Set", nameColumn: "id"),
    ]
}

extension Prerequisites {
    /// `pre_get_table`: the table named by `s`, with what its rows are named by replicated.
    mutating func table(_ s: String) throws -> TableSchema {
        let table = try NameMatching.table(s, in: schema)
        selection.addTable(table.name)
        if let id = RowIdentifier.byTable[table.name] {
            selection.addColumn(id.nameColumn, of: id.nameTable)
            if let u = id.uuidColumn { selection.addColumn(u, of: id.nameTable) }
        }
        return table
    }

    /// `pre_get_column`.
    mutating func column(_ s: String, in table: TableSchema) throws -> ColumnSchema {
        let column = try NameMatching.column(s, in: table)
        selection.addColumn(column.name, of: table.name)
        return column
    }
}

extension Context {
    /// The row `record` names in `table` (`ctl_get_row`), nil if none and `mustExist` is false.
    func row(_ table: TableSchema, _ record: String, mustExist: Bool) throws -> UUID? {
        var found: UUID?
        if let u = UUID(record), transaction.exists(table.name, u) { found = u }
        if found == nil, record == "." {
            let rows = transaction.rows(table.name)
            if rows.count == 1 { found = rows[0] }
        }
        if found == nil, let id = RowIdentifier.byTable[table.name] {
            found = try rowByName(table, id, record)
        }
        if found == nil, UUIDPrefix.length(record) >= 4 {
            for r in transaction.rows(table.name).sorted() where UUIDPrefix.matches(r, record) {
                if let first = found {
                    throw VsctlError.fatal("\(table.name) contains 2 or more rows whose UUIDs begin with \(record): at least \(first) and \(r)")
                }
                found = r
            }
        }
        if mustExist && found == nil {
            throw VsctlError.fatal("no row \"\(record)\" in table \(table.name)")
        }
        return found
    }

    private func rowByName(_ table: TableSchema, _ id: RowIdentifier, _ record: String) throws -> UUID? {
        guard let nameType = schema.table(id.nameTable)?.column(id.nameColumn)?.type.key.type else { return nil }
        if nameType == .integer {
            guard !record.isEmpty, record.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        }
        var referrer: UUID?
        for r in transaction.rows(id.nameTable) {
            let datum = value(id.nameTable, r, id.nameColumn)
            guard datum.count == 1, let name = datum.first else { continue }
            let equal: Bool
            switch name {
            case .string(let s):
                equal = s == record || (record.utf8.count >= 4 && UUID(s) != nil && s.hasPrefix(record))
            case .integer(let i):
                equal = i == Int64(record)
            default:
                equal = false
            }
            if equal {
                if referrer != nil { throw VsctlError.fatal("multiple rows in \(id.nameTable) match \"\(record)\"") }
                referrer = r
            }
        }
        guard let referrer else { return nil }
        guard let uuidColumn = id.uuidColumn else { return referrer }
        verify(id.nameTable, referrer, uuidColumn)
        let refs = uuids(id.nameTable, referrer, uuidColumn)
        guard refs.count == 1, transaction.exists(table.name, refs[0]) else { return nil }
        return refs[0]
    }
}

/// Partial uuids people type (`uuid_is_partial_string`, `uuid_is_partial_match`).
enum UUIDPrefix {
    /// The length of `s` if it is the start of a uuid's text form, else 0.
    static func length(_ s: String) -> Int {
        let template = Array("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".utf8)
        let u = Array(s.utf8)
        guard u.count <= template.count else { return 0 }
        for (i, c) in u.enumerated() {
            if template[i] == UInt8(ascii: "-") {
                if c != UInt8(ascii: "-") { return 0 }
            } else if !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)) {
                return 0
            }
        }
        return u.count
    }

    static func matches(_ uuid: UUID, _ prefix: String) -> Bool {
        uuid.description.utf8.starts(with: prefix.lowercased().utf8)
    }
}
