import JSON
import OVSDB

/// One monitor a client set up with `monitor` (updates in the original `update` form),
/// `monitor_cond` (`update2`: diffs, conditions) or `monitor_cond_since` (`update3`).
final class Monitor {
    /// What a monitor reports, apart from its id: monitors with equal specs report identical
    /// updates, which are then composed and serialized once for all of them.
    struct Spec: Hashable {
        let version: Version
        let tables: [TableMonitor]
        /// Hashed once: every commit looks up the spec of every monitor.
        private let hash: Int

        init(version: Version, tables: [TableMonitor]) {
            self.version = version
            self.tables = tables
            var h = Hasher()
            h.combine(version)
            h.combine(tables)
            hash = h.finalize()
        }

        func hash(into h: inout Hasher) { h.combine(hash) }

        static func == (a: Spec, b: Spec) -> Bool { a.hash == b.hash && a.version == b.version && a.tables == b.tables }
    }

    private(set) var spec: Spec

    /// Takes `other`'s spec if it is equal to this one's, so that equal specs share their
    /// storage and compare by identity when a commit groups monitors by spec.
    func shareSpec(with other: Monitor) {
        if other.spec == spec { spec = other.spec }
    }

    enum Version {
        case v1, v2, v3

        var notification: String { self == .v1 ? "update" : (self == .v2 ? "update2" : "update3") }
    }

    struct Select: OptionSet, Hashable {
        let rawValue: Int
        static let initial = Select(rawValue: 1), insert = Select(rawValue: 2), delete = Select(rawValue: 4), modify = Select(rawValue: 8)
        static let all: Select = [.initial, .insert, .delete, .modify]
    }

    struct TableMonitor: Hashable {
        var table: Int
        var columns: [ColumnRef]
        var select: Select
        var condition: Where
    }

    var id: JSON { didSet { updatePrefix = Monitor.updatePrefix(version, id) } }
    let database: Database
    var version: Version { spec.version }
    var tables: [TableMonitor] { spec.tables }
    /// The start of this monitor's update notifications, up to where the updates go:
    /// `{"id":null,"method":"update2","params":[<id>,`.
    private(set) var updatePrefix: [UInt8]

    /// Parses the monitor requests (`{table: request | [request, ...]}`).
    init(id: JSON, database: Database, version: Version, requests: JSON) throws(OVSDBError) {
        self.id = id
        self.database = database
        updatePrefix = Monitor.updatePrefix(version, id)
        guard let o = requests.objectValue else { throw .syntax(requests, "monitor-requests must be an object") }
        var tables: [TableMonitor] = []
        for (name, value) in o {
            guard let t = database.schema.position(of: name) else {
                throw .syntax(requests, "no table named \(name)")
            }
            let schema = database.schema.tables[t]
            let list = value.arrayValue ?? [value]
            var monitor = TableMonitor(table: t, columns: [], select: [], condition: Where())
            for request in list {
                guard let r = request.objectValue else { throw .syntax(request, "monitor request must be an object") }
                if let cols = r["columns"] {
                    guard let names = cols.arrayValue else { throw .syntax(cols, "array of column names expected") }
                    for n in names {
                        guard let s = n.stringValue, let c = ColumnRef(s, in: schema), c != .uuid else {
                            throw .syntax(n, "\(n.stringValue ?? n.description) is not a valid column name")
                        }
                        if !monitor.columns.contains(c) { monitor.columns.append(c) }
                    }
                } else {
                    for i in schema.columns.indices where !monitor.columns.contains(.user(i)) { monitor.columns.append(.user(i)) }
                }
                monitor.select.formUnion(try Monitor.parseSelect(r["select"]))
                if version != .v1, let w = r["where"] {
                    monitor.condition = try Where(json: w, table: schema)
                }
            }
            tables.append(monitor)
        }
        spec = Spec(version: version, tables: tables)
    }

    private static func updatePrefix(_ version: Version, _ id: JSON) -> [UInt8] {
        var head = Array(#"{"id":null,"method":""#.utf8)
        head.append(contentsOf: version.notification.utf8)
        head.append(contentsOf: #"","params":["#.utf8)
        head.append(contentsOf: JSONSerializer.bytes(id))
        if version == .v3 { head.append(contentsOf: #","00000000-0000-0000-0000-000000000000""#.utf8) }
        head.append(UInt8(ascii: ","))
        return head
    }

    private static func parseSelect(_ json: JSON?) throws(OVSDBError) -> Select {
        guard let json else { return .all }
        guard let o = json.objectValue else { throw .syntax(json, "select must be an object") }
        var s: Select = []
        for (name, flag) in [("initial", Select.initial), ("insert", .insert), ("delete", .delete), ("modify", .modify)] {
            if o[name]?.boolValue ?? true { s.insert(flag) }
        }
        return s
    }

    /// The initial contents: every matching row.
    func initial() -> JSON {
        var updates = JSONObject()
        for tm in tables where tm.select.contains(.initial) {
            var rows = JSONObject()
            for (u, row) in database.tables[tm.table].rows where tm.condition.matches(row) {
                rows.appendUnique(u.description, rowUpdate(tm, .initial, old: nil, new: row))
            }
            if !rows.isEmpty { updates.appendUnique(database.schema.tables[tm.table].name, .object(rows)) }
        }
        return .object(updates)
    }

    /// What the monitor reports for a commit, or nil if nothing it watches changed.
    func updates(for changes: ChangeSet) -> JSON? {
        var updates = JSONObject()
        for tm in tables {
            var rows = JSONObject()
            for change in changes.tables[tm.table] {
                let oldMatch = change.old.map { tm.condition.matches($0) } ?? false
                let newMatch = change.new.map { tm.condition.matches($0) } ?? false
                let kind: Select
                switch (oldMatch, newMatch) {
                case (false, true): kind = .insert
                case (true, false): kind = .delete
                case (true, true): kind = .modify
                case (false, false): continue
                }
                guard tm.select.contains(kind) else { continue }
                // A modification of columns this monitor does not watch costs no comparison.
                if kind == .modify && !tm.columns.contains(where: { change.changes($0) }) { continue }
                let u = rowUpdate(tm, kind, old: change.old, new: change.new)
                if !u.isNull { rows.appendUnique(change.uuid.description, u) }
            }
            if !rows.isEmpty { updates.appendUnique(database.schema.tables[tm.table].name, .object(rows)) }
        }
        return updates.isEmpty ? nil : .object(updates)
    }

    /// Replaces the conditions (`monitor_cond_change`) and returns the rows that enter (as
    /// inserts) or leave (as deletes) the monitored set.
    func changeConditions(_ json: JSON) throws(OVSDBError) -> JSON? {
        guard let o = json.objectValue else { throw .syntax(json, "monitor-cond-change-requests must be an object") }
        var replaced = tables
        for (name, value) in o {
            guard let t = database.schema.position(of: name), let i = replaced.firstIndex(where: { $0.table == t }) else {
                throw .syntax(json, "no table named \(name)")
            }
            for request in value.arrayValue ?? [value] {
                if let w = request["where"] {
                    replaced[i].condition = try Where(json: w, table: database.schema.tables[t])
                }
            }
        }
        var updates = JSONObject()
        for (old, new) in zip(tables, replaced) where old.condition != new.condition {
            var rows = JSONObject()
            for (u, row) in database.tables[new.table].rows {
                let was = old.condition.matches(row), now = new.condition.matches(row)
                if !was && now && new.select.contains(.insert) {
                    rows.appendUnique(u.description, rowUpdate(new, .insert, old: nil, new: row))
                } else if was && !now && new.select.contains(.delete) {
                    rows.appendUnique(u.description, rowUpdate(new, .delete, old: row, new: nil))
                }
            }
            if !rows.isEmpty { updates.appendUnique(database.schema.tables[new.table].name, .object(rows)) }
        }
        spec = Spec(version: version, tables: replaced)
        return updates.isEmpty ? nil : .object(updates)
    }

    /// One row's entry in an update, or null when a modification touched no monitored column.
    private func rowUpdate(_ tm: TableMonitor, _ kind: Select, old: Row?, new: Row?) -> JSON {
        let schema = database.schema.tables[tm.table]
        if version == .v1 {
            var o = JSONObject()
            switch kind {
            case .initial, .insert:
                o.appendUnique("new", new!.json(tm.columns, schema: schema))
            case .delete:
                o.appendUnique("old", old!.json(tm.columns, schema: schema))
            default:
                let changed = tm.columns.filter { old!.value($0) != new!.value($0) }
                if changed.isEmpty { return .null }
                o.appendUnique("old", old!.json(changed, schema: schema))
                o.appendUnique("new", new!.json(tm.columns, schema: schema))
            }
            return .object(o)
        }
        switch kind {
        case .delete:
            return .object(JSONObject(uniqueKeysWithValues: [("delete", .null)]))
        case .modify:
            var cols = JSONObject()
            for c in tm.columns {
                let a = old!.value(c), b = new!.value(c)
                if a != b { cols.appendUnique(c.name(in: schema), a.diff(to: b, type: c.type(in: schema)).json) }
            }
            if cols.isEmpty { return .null }
            return .object(JSONObject(uniqueKeysWithValues: [("modify", .object(cols))]))
        default:
            var cols = JSONObject()
            for c in tm.columns {
                let d = new!.value(c)
                if !d.isDefault(c.type(in: schema)) { cols.appendUnique(c.name(in: schema), d.json) }
            }
            return .object(JSONObject(uniqueKeysWithValues: [(kind == .initial ? "initial" : "insert", .object(cols))]))
        }
    }
}
