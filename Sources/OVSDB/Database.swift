/// An OVSDB database in memory: the committed rows of every table, plus the counts of strong
/// references that drive referential integrity and garbage collection.
///
/// Not thread-safe: a server confines each database to one event loop, as Open vSwitch's
/// single-threaded ovsdb-server does.
public final class Database {
    public let schema: DatabaseSchema
    public internal(set) var tables: [Table]
    /// How many strong references point at each row.
    var strongReferences: [UUID: Int] = [:]
    /// Called after each commit with what it changed.
    public var observers: [(ChangeSet) -> Void] = []
    /// Writes a commit to storage before it is installed; an error aborts the commit.
    public var persist: ((ChangeSet) throws(OVSDBError) -> Void)?

    /// The tables with weak-reference columns: which columns, and which tables they point at.
    let weakReferrers: [(table: Int, columns: [Int], targets: Set<String>)]

    public init(schema: DatabaseSchema) {
        self.schema = schema
        self.tables = schema.tables.map { Table(schema: $0) }
        weakReferrers = schema.tables.enumerated().compactMap { t, table in
            let columns = table.columns.indices.filter { table.columns[$0].type.references(.weak) }
            guard !columns.isEmpty else { return nil }
            var targets = Set<String>()
            for i in columns {
                for base in [table.columns[i].type.key, table.columns[i].type.value].compactMap({ $0 }) where base.refType == .weak {
                    if let ref = base.refTable { targets.insert(ref) }
                }
            }
            return (t, columns, targets)
        }
    }

    public var name: String { schema.name }

    /// The committed row `uuid` of table `t`.
    public func row(_ t: Int, _ uuid: UUID) -> Row? { tables[t].rows[uuid] }

    /// Persists then installs a change set; nothing changes if persisting fails.
    func install(_ changes: ChangeSet) throws(OVSDBError) {
        if let persist, !changes.isEmpty { try persist(changes) }
        apply(changes)
    }

    /// Installs a committed change set: rows, indexes, reference counts; then tells observers.
    func apply(_ changes: ChangeSet) {
        for (t, rowChanges) in changes.tables.enumerated() {
            let table = schema.tables[t]
            for change in rowChanges {
                switch (change.old, change.new) {
                case (let old?, let new?):
                    for i in change.changed where table.strongReferenceColumns.contains(i) {
                        Database.countChanges(old.values[i], new.values[i], table.columns[i].type, &strongReferences)
                    }
                case (let old?, nil):
                    countReferences(old, table, -1)
                case (nil, let new?):
                    countReferences(new, table, +1)
                case (nil, nil):
                    break
                }
                if let new = change.new { tables[t].put(new) } else { tables[t].remove(change.uuid) }
            }
        }
        for o in observers { o(changes) }
    }

    /// Adds to `counts` the strong references a row's change removes and adds, looking only
    /// at columns that changed.
    static func countChanges(from old: Row, to new: Row, _ table: TableSchema, _ counts: inout [UUID: Int]) {
        for i in table.strongReferenceColumns where old.values[i] != new.values[i] {
            countChanges(old.values[i], new.values[i], table.columns[i].type, &counts)
        }
    }

    /// Adds to `delta` the references one column's change removes (-1) and adds (+1).
    static func countChanges(_ old: Datum, _ new: Datum, _ type: ColumnType, _ delta: inout [UUID: Int]) {
        if type.key.isStrongReference {
            // Keys are sorted: walk both lists once.
            var i = 0, j = 0
            while i < old.keys.count || j < new.keys.count {
                if j == new.keys.count || (i < old.keys.count && old.keys[i] < new.keys[j]) {
                    if let u = old.keys[i].uuidValue { delta[u, default: 0] -= 1 }
                    i += 1
                } else if i == old.keys.count || new.keys[j] < old.keys[i] {
                    if let u = new.keys[j].uuidValue { delta[u, default: 0] += 1 }
                    j += 1
                } else {
                    i += 1
                    j += 1
                }
            }
        }
        if type.value?.isStrongReference == true {
            for a in old.values ?? [] { if let u = a.uuidValue { delta[u, default: 0] -= 1 } }
            for a in new.values ?? [] { if let u = a.uuidValue { delta[u, default: 0] += 1 } }
        }
    }

    func countReferences(_ row: Row, _ table: TableSchema, _ delta: Int) {
        Database.forEachStrongReference(row, table) { target in
            let n = (strongReferences[target] ?? 0) + delta
            strongReferences[target] = n == 0 ? nil : n
        }
    }

    /// Calls `body` for each strong reference in `row` (one call per element).
    static func forEachStrongReference(_ row: Row, _ table: TableSchema, _ body: (UUID) -> Void) {
        for i in table.strongReferenceColumns {
            let column = table.columns[i]
            let d = row.values[i]
            if column.type.key.isStrongReference { for a in d.keys { if let u = a.uuidValue { body(u) } } }
            if column.type.value?.isStrongReference == true, let vs = d.values { for a in vs { if let u = a.uuidValue { body(u) } } }
        }
    }

    /// Replaces the whole contents, as loading a snapshot does; recounts references.
    func load(_ rows: [[Row]]) {
        tables = schema.tables.map { Table(schema: $0) }
        strongReferences = [:]
        for (t, list) in rows.enumerated() {
            for row in list {
                tables[t].put(row)
                countReferences(row, schema.tables[t], +1)
            }
        }
    }

}
