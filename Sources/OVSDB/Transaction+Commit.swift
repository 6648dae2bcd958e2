extension Transaction {
    /// Checks the transaction and installs it in the database.
    ///
    /// In order, as Open vSwitch does: check strong references, garbage-collect unreferenced
    /// non-root rows, drop weak references to rows that no longer exist, check `maxRows` and
    /// index uniqueness; then give every changed row a new version. On error nothing is installed.
    @discardableResult
    public func commit() throws(OVSDBError) -> ChangeSet {
        var delta = referenceDelta()
        try checkStrongReferences(delta)
        collectGarbage(&delta)
        try dropWeakReferences()
        try checkMaxRows()
        try checkIndexes()
        let changes = changeSet()
        try database.install(changes)
        return changes
    }

    /// The change in inbound strong references to each row that the overlay makes. Only
    /// columns that changed are looked at, so growing a bridge by one port costs one count.
    private func referenceDelta() -> [UUID: Int] {
        var delta: [UUID: Int] = [:]
        for t in touchedTables {
            let table = schema.tables[t]
            for (u, slot) in overlay[t] {
                let old = database.tables[t].rows[u]
                switch (old, slot) {
                case (let old?, .live(let new)):
                    Database.countChanges(from: old, to: new, table, &delta)
                case (let old?, .deleted):
                    Database.forEachStrongReference(old, table) { delta[$0, default: 0] -= 1 }
                case (nil, .live(let new)):
                    Database.forEachStrongReference(new, table) { delta[$0, default: 0] += 1 }
                case (nil, .deleted):
                    break
                }
            }
        }
        return delta
    }

    private func references(_ u: UUID, _ delta: [UUID: Int]) -> Int {
        (database.strongReferences[u] ?? 0) + (delta[u] ?? 0)
    }

    /// Deletes rows of non-root tables that nothing references any more, cascading.
    private func collectGarbage(_ delta: inout [UUID: Int]) {
        var candidates: [(Int, UUID)] = []
        for (t, slots) in overlay.enumerated() where !schema.tables[t].isRoot {
            for (u, slot) in slots { if case .live = slot { candidates.append((t, u)) } }
        }
        for (u, d) in delta where d < 0 {
            if let t = tableOfReferenceTarget(u), !schema.tables[t].isRoot { candidates.append((t, u)) }
        }
        while let (t, u) = candidates.popLast() {
            guard references(u, delta) <= 0, let r = row(t, u) else { continue }
            let table = schema.tables[t]
            delete(t, u)
            forEachStrongTarget(r, table) { target, tt in
                delta[target, default: 0] -= 1
                if !schema.tables[tt].isRoot { candidates.append((tt, target)) }
            }
        }
    }

    /// The table a referenced uuid lives in, found among rows this transaction can see.
    private func tableOfReferenceTarget(_ u: UUID) -> Int? {
        for t in schema.tables.indices where overlay[t][u] != nil || database.tables[t].rows[u] != nil { return t }
        return nil
    }

    private func forEachStrongTarget(_ row: Row, _ table: TableSchema, _ body: (UUID, Int) -> Void) {
        for i in table.strongReferenceColumns {
            let column = table.columns[i]
            let d = row.values[i]
            if column.type.key.isStrongReference, let ref = column.type.key.refTable, let tt = schema.position(of: ref) {
                for a in d.keys { if let u = a.uuidValue { body(u, tt) } }
            }
            if let vt = column.type.value, vt.isStrongReference, let ref = vt.refTable, let tt = schema.position(of: ref), let vs = d.values {
                for a in vs { if let u = a.uuidValue { body(u, tt) } }
            }
        }
    }

    /// Removes weak references to rows that do not exist after this transaction.
    private func dropWeakReferences() throws(OVSDBError) {
        var tablesWithDeletions = Set<String>()
        for t in touchedTables {
            for case .deleted in overlay[t].values {
                tablesWithDeletions.insert(schema.tables[t].name)
                break
            }
        }
        for referrer in database.weakReferrers {
            let t = referrer.table
            let table = schema.tables[t]
            let scanAll = !referrer.targets.isDisjoint(with: tablesWithDeletions)
            guard scanAll || !overlay[t].isEmpty else { continue }
            let rows: [Row] = scanAll ? self.rows(t, where: Where()) : overlay[t].values.compactMap { if case .live(let r) = $0 { return r } else { return nil } }
            for var r in rows {
                var changed = false
                for i in referrer.columns {
                    let before = r.values[i]
                    let after = pruned(before, table.columns[i].type)
                    guard after.count != before.count else { continue }
                    if after.count < table.columns[i].type.min {
                        throw .constraint("Deletion of \(before.count - after.count) weak reference(s) to deleted (or never-existing) rows from column \"\(table.columns[i].name)\" in \"\(table.name)\" row \(r.uuid) caused this column to become empty, but constraints do not allow this column to be empty.")
                    }
                    r.values[i] = after
                    changed = true
                }
                if changed { put(t, r) }
            }
        }
    }

    private func pruned(_ d: Datum, _ type: ColumnType) -> Datum {
        func dangling(_ a: Atom, _ base: BaseType?) -> Bool {
            guard let base, base.refType == .weak, let ref = base.refTable, let tt = schema.position(of: ref), let u = a.uuidValue else { return false }
            return !exists(tt, u)
        }
        var keys: [Atom] = [], values: [Atom] = []
        for i in d.keys.indices {
            if dangling(d.keys[i], type.key) || (d.values.map { dangling($0[i], type.value) } ?? false) { continue }
            keys.append(d.keys[i])
            if let vs = d.values { values.append(vs[i]) }
        }
        return d.isMap ? Datum(keys: keys, values: values) : Datum(keys: keys)
    }

    /// Every strong reference in a changed row must name a row that exists, and a deleted row
    /// must have no strong references left.
    private func checkStrongReferences(_ delta: [UUID: Int]) throws(OVSDBError) {
        for t in touchedTables {
            let table = schema.tables[t]
            for (u, slot) in overlay[t] {
                switch slot {
                case .live(let r):
                    let old = database.tables[t].rows[u]
                    for i in table.strongReferenceColumns {
                        let d = r.values[i]
                        // References a committed row already had were checked when it was
                        // committed; only new ones need a look (deleted targets are caught below).
                        let before = old?.values[i]
                        if before == d { continue }
                        let column = table.columns[i]
                        if column.type.key.isStrongReference, let ref = column.type.key.refTable, let tt = schema.position(of: ref) {
                            for target in Transaction.addedUUIDs(before?.keys ?? [], d.keys) where !exists(tt, target) {
                                throw .referentialIntegrity("Table \(table.name) column \(column.name) row \(u) references nonexistent row \(target) in table \(ref).")
                            }
                        }
                        if let vt = column.type.value, vt.isStrongReference, let ref = vt.refTable, let tt = schema.position(of: ref) {
                            for a in d.values ?? [] {
                                if let target = a.uuidValue, !exists(tt, target) {
                                    throw .referentialIntegrity("Table \(table.name) column \(column.name) row \(u) references nonexistent row \(target) in table \(ref).")
                                }
                            }
                        }
                    }
                case .deleted:
                    guard database.tables[t].rows[u] != nil else { continue }
                    let n = references(u, delta)
                    if n > 0 {
                        throw .referentialIntegrity("cannot delete \(table.name) row \(u) because of \(n) remaining reference(s)")
                    }
                }
            }
        }
    }

    /// The uuids in sorted `new` that are not in sorted `old`.
    static func addedUUIDs(_ old: [Atom], _ new: [Atom]) -> [UUID] {
        var out: [UUID] = []
        var i = 0
        for a in new {
            while i < old.count && old[i] < a { i += 1 }
            if i < old.count && old[i] == a { continue }
            if let u = a.uuidValue { out.append(u) }
        }
        return out
    }

    private func checkMaxRows() throws(OVSDBError) {
        for t in touchedTables {
            let table = schema.tables[t]
            guard let max = table.maxRows else { continue }
            let n = liveCount(t)
            if n > max {
                throw .constraint("transaction causes \"\(table.name)\" table to contain \(n) rows, greater than the schema-defined limit of \(max) row(s)")
            }
        }
    }

    private func checkIndexes() throws(OVSDBError) {
        for t in touchedTables {
            let table = schema.tables[t]
            for (i, index) in table.indexes.enumerated() {
                var seen: [[Datum]: Row] = [:]
                for case .live(let r) in overlay[t].values {
                    let key = Table.indexKey(r, index)
                    if let other = seen[key] { throw indexError(t, index, other, r) }
                    seen[key] = r
                    if let committed = database.tables[t].indexes[i][key], committed != r.uuid, overlay[t][committed] == nil,
                       let c = database.tables[t].rows[committed] {
                        throw indexError(t, index, c, r)
                    }
                }
            }
        }
    }

    /// Open vSwitch's message for two rows that collide on a unique index. Which row is named
    /// first follows Open vSwitch 3.1 too: the rows are compared column by column in the order
    /// its hash table keeps the table's columns (`_uuid` and `_version` among them).
    private func indexError(_ t: Int, _ index: [Int], _ x: Row, _ y: Row) -> OVSDBError {
        let table = schema.tables[t]
        func field(_ r: Row, _ name: String) -> Datum {
            switch name {
            case "_uuid": return Datum(atom: .uuid(r.uuid))
            // A row inserted by this transaction has no version yet.
            case "_version": return Datum(atom: .uuid(database.tables[t].rows[r.uuid]?.version ?? .zero))
            default: return r.values[table.position(of: name)!]
            }
        }
        var order = 0
        for name in table.columnNamesInShashOrder {
            order = Datum.compare3way(field(x, name), field(y, name))
            if order != 0 { break }
        }
        let (a, b) = order < 0 ? (y, x) : (x, y)
        func list(_ items: [String]) -> String {
            var s = ""
            for (i, item) in items.enumerated() {
                s += i == 0 ? "" : (items.count == 2 ? " and " : (i < items.count - 1 ? ", " : ", and "))
                s += item
            }
            return s
        }
        func values(_ r: Row) -> String { list(index.map { r.values[$0].text(table.columns[$0].type) }) }
        func history(_ r: Row) -> String {
            guard let old = database.tables[t].rows[r.uuid] else { return "was inserted by this transaction." }
            guard overlay[t][r.uuid] != nil, old.values != r.values else {
                return "existed in the database before this transaction and was not modified by the transaction."
            }
            if Table.indexKey(old, index) == Table.indexKey(r, index) {
                return "existed in the database before this transaction, which modified some of the row's columns but not any columns in this index."
            }
            return "had the following index values before the transaction: \(values(old))."
        }
        let columns = "column\(index.count > 1 ? "s" : "") " + list(index.map { "\"\(table.columns[$0].name)\"" })
        return .constraint("Transaction causes multiple rows in \"\(table.name)\" table to have identical values (\(values(a))) for index on \(columns).  First row, with UUID \(a.uuid), \(history(a))  Second row, with UUID \(b.uuid), \(history(b))")
    }

    /// The committed form of the overlay: new versions for changed rows, no-ops dropped.
    private func changeSet() -> ChangeSet {
        var tables: [[ChangeSet.RowChange]] = Array(repeating: [], count: overlay.count)
        for t in touchedTables {
            var list: [ChangeSet.RowChange] = []
            for (u, slot) in overlay[t] {
                let old = database.tables[t].rows[u]
                switch slot {
                case .live(var r):
                    let changed = old.map { r.columnsDiffering(from: $0) } ?? []
                    if old != nil && changed.isEmpty { continue }
                    r.version = .random()
                    list.append(.init(uuid: u, old: old, new: r, changed: changed))
                case .deleted:
                    if let old { list.append(.init(uuid: u, old: old, new: nil)) }
                }
            }
            tables[t] = list
        }
        return ChangeSet(tables: tables, comment: comments.isEmpty ? nil : comments.joined(separator: "\n"), durable: durable)
    }
}
