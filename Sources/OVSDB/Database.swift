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
    /// The id of the last committed transaction (`monitor_cond_since`).
    public internal(set) var lastTransactionID: UUID = .zero
    /// Called after each commit with what it changed.
    public var observers: [(ChangeSet) -> Void] = []
    /// Writes a commit to storage before it is installed; an error aborts the commit.
    public var persist: ((ChangeSet) throws(OVSDBError) -> Void)?

    public init(schema: DatabaseSchema) {
        self.schema = schema
        self.tables = schema.tables.map { Table(schema: $0) }
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
                if let old = change.old { countReferences(old, table, -1) }
                if let new = change.new {
                    countReferences(new, table, +1)
                    tables[t].put(new)
                } else {
                    tables[t].remove(change.uuid)
                }
            }
        }
        lastTransactionID = changes.id
        for o in observers { o(changes) }
    }

    func countReferences(_ row: Row, _ table: TableSchema, _ delta: Int) {
        Database.forEachStrongReference(row, table) { target in
            let n = (strongReferences[target] ?? 0) + delta
            strongReferences[target] = n == 0 ? nil : n
        }
    }

    /// Calls `body` for each strong reference in `row` (one call per element).
    static func forEachStrongReference(_ row: Row, _ table: TableSchema, _ body: (UUID) -> Void) {
        for (i, column) in table.columns.enumerated() where column.type.references(.strong) {
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

    /// Every row of every table, for snapshots.
    public var allRows: [[Row]] { tables.map { Array($0.rows.values) } }

    public var rowCount: Int { tables.reduce(0) { $0 + $1.rows.count } }
}
