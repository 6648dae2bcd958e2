/// Changes to a database that are not committed yet: an overlay of new, modified and deleted
/// rows over the committed tables. Reads see the overlay; `commit()` checks integrity, collects
/// garbage and installs the result atomically. Dropping a transaction discards it.
public final class Transaction {
    enum Slot {
        case live(Row)
        case deleted
    }

    public let database: Database
    var overlay: [[UUID: Slot]]
    public var comments: [String] = []
    public var durable = false

    public init(_ database: Database) {
        self.database = database
        self.overlay = Array(repeating: [:], count: database.schema.tables.count)
    }

    var schema: DatabaseSchema { database.schema }

    /// Row `uuid` of table `t` as this transaction sees it.
    public func row(_ t: Int, _ uuid: UUID) -> Row? {
        switch overlay[t][uuid] {
        case .live(let r): return r
        case .deleted: return nil
        case nil: return database.tables[t].rows[uuid]
        }
    }

    /// Whether row `uuid` of table `t` exists as this transaction sees it (without copying it).
    public func exists(_ t: Int, _ uuid: UUID) -> Bool {
        switch overlay[t][uuid] {
        case .live: return true
        case .deleted: return false
        case nil: return database.tables[t].rows[uuid] != nil
        }
    }

    /// Rows of table `t` that satisfy `condition`, as this transaction sees them.
    public func rows(_ t: Int, where condition: Where) -> [Row] {
        if let u = condition.pinnedUUID {
            guard let r = row(t, u), condition.matches(r) else { return [] }
            return [r]
        }
        var out: [Row] = []
        let pending = overlay[t]
        for (u, r) in database.tables[t].rows where pending[u] == nil && condition.matches(r) { out.append(r) }
        for case .live(let r) in pending.values where condition.matches(r) { out.append(r) }
        return out
    }

    /// Number of rows table `t` holds as this transaction sees it.
    func liveCount(_ t: Int) -> Int {
        var n = database.tables[t].rows.count
        for (u, slot) in overlay[t] {
            let existed = database.tables[t].rows[u] != nil
            switch slot {
            case .live: if !existed { n += 1 }
            case .deleted: if existed { n -= 1 }
            }
        }
        return n
    }

    /// Tables in the order the transaction first changed them; checks visit them in this
    /// order so that, as in Open vSwitch, the first error reported is the same.
    private(set) var touchedTables: [Int] = []

    public func put(_ t: Int, _ row: Row) {
        if overlay[t].isEmpty { touchedTables.append(t) }
        overlay[t][row.uuid] = .live(row)
    }

    public func delete(_ t: Int, _ uuid: UUID) {
        if overlay[t].isEmpty { touchedTables.append(t) }
        overlay[t][uuid] = .deleted
    }

    public var isEmpty: Bool { touchedTables.isEmpty }
}
