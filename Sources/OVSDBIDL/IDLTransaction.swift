import JSON
import OVSDB

/// Changes to make to the database, built against a replica and sent as one `transact`
/// (Open vSwitch's `struct ovsdb_idl_txn`, without I/O).
///
/// Reads through the transaction see its own writes. `verify` turns what a caller read into a
/// precondition (a `wait` operation), so the commit fails with "try again" if another client
/// changed it meanwhile, and the caller reruns its logic on the newer replica.
public struct IDLTransaction: Sendable {
    /// What the changes were built against.
    public let base: IDLReplica
    /// Text for the `comment` operation (`ovsdb_idl_txn_add_comment`, lines joined by "\n").
    public var comment: String?
    /// Send the changes followed by `abort`, to check them without committing (`--dry-run`).
    public var dryRun = false
    /// A lock the commit requires this client to hold (an `assert` operation goes first).
    public var lock: String?

    struct RowChange: Sendable {
        var table: String
        var inserted: Bool
        /// Insert with `"uuid"` (the server keeps the given uuid) instead of `"uuid-name"`.
        var persistUUID = false
        var deleted = false
        var written: [String: Datum] = [:]
        var verified: Set<String> = []
        /// Partial set/map updates, in order: (column, "insert"/"delete", datum).
        var mutations: [(String, String, Datum)] = []
    }

    var changes: [UUID: RowChange] = [:]
    /// Rows in the order the transaction first touched them: the order of the operations.
    var order: [UUID] = []
    var increment: (table: String, uuid: UUID, column: String)?

    public init(base: IDLReplica) { self.base = base }

    // MARK: Reading

    /// True if the row exists as the transaction would leave it.
    public func exists(_ table: String, _ uuid: UUID) -> Bool {
        if let c = changes[uuid] { return !c.deleted }
        return base.row(table, uuid) != nil
    }

    /// The uuids of `table`'s rows as the transaction would leave them: the replica's, less the
    /// deleted ones, plus the inserted ones.
    public func rows(_ table: String) -> [UUID] {
        var out = base.rows(table).keys.filter { changes[$0]?.deleted != true }
        for uuid in order where changes[uuid]!.inserted && changes[uuid]!.table == table && !changes[uuid]!.deleted {
            out.append(uuid)
        }
        return out
    }

    /// `column` of a row, as written by this transaction or else as replicated.
    public func value(_ table: String, _ uuid: UUID, _ column: String) -> Datum {
        if let v = changes[uuid]?.written[column] { return v }
        if changes[uuid]?.inserted == true {
            return Datum.defaultValue(type(table, column))
        }
        return base.value(table, uuid, column)
    }

    /// True if the row was inserted by this transaction.
    public func isInserted(_ uuid: UUID) -> Bool { changes[uuid]?.inserted == true }

    func type(_ table: String, _ column: String) -> ColumnType {
        base.schema.table(table)?.column(column)?.type ?? ColumnSchema.uuidType
    }

    // MARK: Changing

    /// Inserts a row into `table` and returns the uuid that stands for it until the server
    /// assigns the real one (see `Outcome.success`).
    /// With `persistUUID`, the row gets `uuid` itself.
    public mutating func insert(_ table: String, uuid: UUID = .random(), persistUUID: Bool = false) -> UUID {
        changes[uuid] = RowChange(table: table, inserted: true, persistUUID: persistUUID)
        order.append(uuid)
        return uuid
    }

    /// Sets `column` of a row to `value`.
    public mutating func write(_ table: String, _ uuid: UUID, _ column: String, _ value: Datum) {
        touch(table, uuid)
        changes[uuid]!.written[column] = value
    }

    /// Deletes a row. A row this transaction inserted simply never happens.
    public mutating func delete(_ table: String, _ uuid: UUID) {
        if changes[uuid]?.inserted == true {
            changes[uuid] = nil
            order.removeAll { $0 == uuid }
            return
        }
        touch(table, uuid)
        changes[uuid]!.deleted = true
    }

    /// Makes the commit conditional on `column` still holding the value this replica has
    /// (`ovsdb_idl_txn_verify`). Nothing to verify for a new row or an already written column.
    public mutating func verify(_ table: String, _ uuid: UUID, _ column: String) {
        if changes[uuid]?.inserted == true || changes[uuid]?.written[column] != nil { return }
        guard base.row(table, uuid) != nil else { return }
        touch(table, uuid)
        changes[uuid]!.verified.insert(column)
    }

    /// Adds elements (or pairs) to a set or map column on the server's copy, whatever it holds
    /// then (a partial update, `ovsdb_idl_txn_write_partial_set/map`); not visible to reads.
    public mutating func mutateInsert(_ table: String, _ uuid: UUID, _ column: String, _ datum: Datum) {
        touch(table, uuid)
        changes[uuid]!.mutations.append((column, "insert", datum))
    }

    /// Removes elements (or, given a set of keys, a map's pairs) on the server's copy.
    public mutating func mutateDelete(_ table: String, _ uuid: UUID, _ column: String, _ datum: Datum) {
        touch(table, uuid)
        changes[uuid]!.mutations.append((column, "delete", datum))
    }

    /// Adds 1 to an integer column when the commit changes anything, and reports the new
    /// value (`ovsdb_idl_txn_increment`, how `next_cfg` is bumped).
    public mutating func increment(_ table: String, _ uuid: UUID, _ column: String) {
        increment = (table, uuid, column)
    }

    private mutating func touch(_ table: String, _ uuid: UUID) {
        if changes[uuid] == nil {
            changes[uuid] = RowChange(table: table, inserted: false)
            order.append(uuid)
        }
    }
}
