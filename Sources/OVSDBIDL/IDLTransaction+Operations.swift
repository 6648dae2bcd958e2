import JSON
import OVSDB

extension IDLTransaction {
    /// The `transact` operations, in Open vSwitch's order: preconditions (`wait`), then row
    /// changes, the increment, the comment, and `abort` for a dry run. `changesAnything` is
    /// false when there is nothing worth sending (`TXN_UNCHANGED`).
    public func operations() -> (operations: [JSON], changesAnything: Bool, layout: Layout) {
        var ops: [JSON] = []
        var layout = Layout()
        if let lock {
            ops.append(.object(JSONObject([("op", "assert"), ("lock", .string(lock))])))
        }
        for uuid in order {
            let c = changes[uuid]!
            guard !c.verified.isEmpty, let row = base.row(c.table, uuid) else { continue }
            let columns = c.verified.sorted()
            var rowJSON = JSONObject()
            for name in columns {
                rowJSON.appendUnique(name, row.value(name, type(c.table, name)).json)
            }
            ops.append(.object(JSONObject([
                ("op", "wait"), ("table", .string(c.table)), ("timeout", 0),
                ("where", whereUUID(uuid)), ("until", "=="),
                ("columns", .array(columns.map { .string($0) })), ("rows", [.object(rowJSON)]),
            ])))
        }
        // A table of at most one row gets its first row only if it is still empty.
        for table in base.schema.tables where table.maxRows == 1 && base.rows(table.name).isEmpty {
            if order.contains(where: { changes[$0]!.inserted && changes[$0]!.table == table.name }) {
                ops.append(.object(JSONObject([
                    ("op", "wait"), ("table", .string(table.name)), ("where", []), ("timeout", 0),
                    ("until", "=="), ("rows", []),
                ])))
            }
        }

        var anyUpdates = false
        for uuid in order {
            let c = changes[uuid]!
            guard let table = base.schema.table(c.table) else { continue }
            if c.deleted {
                // Rows outside the root set go away by garbage collection when unreferenced.
                if table.isRoot {
                    ops.append(.object(JSONObject([("op", "delete"), ("table", .string(c.table)), ("where", whereUUID(uuid))])))
                    anyUpdates = true
                }
                continue
            }
            if c.inserted || !c.written.isEmpty {
                var rowJSON = JSONObject()
                for column in table.columns {
                    guard let v = c.written[column.name] else { continue }
                    if c.inserted && v.isDefault(column.type) { continue }
                    rowJSON.appendUnique(column.name, substitute(v.json))
                    if !c.inserted && v != base.value(c.table, uuid, column.name) { anyUpdates = true }
                }
                if c.inserted {
                    anyUpdates = true
                    layout.inserts[uuid] = ops.count
                    let id: (String, JSON) = c.persistUUID
                        ? ("uuid", .string(uuid.description))
                        : ("uuid-name", .string(IDLTransaction.rowName(uuid)))
                    ops.append(.object(JSONObject([("op", "insert"), ("table", .string(c.table)), id, ("row", .object(rowJSON))])))
                } else if !rowJSON.isEmpty {
                    ops.append(.object(JSONObject([
                        ("op", "update"), ("table", .string(c.table)), ("where", whereUUID(uuid)), ("row", .object(rowJSON)),
                    ])))
                }
            }
            if !c.mutations.isEmpty {
                let mutations = c.mutations.map { (column, mutator, datum) -> JSON in
                    [.string(column), .string(mutator), substitute(datum.json)]
                }
                ops.append(.object(JSONObject([
                    ("op", "mutate"), ("table", .string(c.table)), ("where", substitute(whereUUID(uuid))),
                    ("mutations", .array(mutations)),
                ])))
                anyUpdates = true
            }
        }
        if let increment, anyUpdates {
            layout.increment = ops.count
            ops.append(.object(JSONObject([
                ("op", "mutate"), ("table", .string(increment.table)), ("where", substitute(whereUUID(increment.uuid))),
                ("mutations", [[.string(increment.column), "+=", 1]]),
            ])))
            ops.append(.object(JSONObject([
                ("op", "select"), ("table", .string(increment.table)), ("where", substitute(whereUUID(increment.uuid))),
                ("columns", [.string(increment.column)]),
            ])))
        }
        if let comment, !comment.isEmpty {
            ops.append(.object(JSONObject([("op", "comment"), ("comment", .string(comment))])))
        }
        if dryRun {
            ops.append(.object(JSONObject([("op", "abort")])))
        }
        return (ops, anyUpdates, layout)
    }

    /// Where in the operations the results the caller needs will be.
    public struct Layout: Sendable {
        /// Inserted row's stand-in uuid → index of its insert operation.
        var inserts: [UUID: Int] = [:]
        /// Index of the increment's `mutate` (its `select` follows).
        var increment: Int?
    }

    /// `row<uuid with underscores>`, the uuid-name that stands for an inserted row
    /// (`ovsdb_data_row_name`).
    static func rowName(_ uuid: UUID) -> String {
        "row" + String(uuid.description.map { $0 == "-" ? "_" : $0 })
    }

    private func whereUUID(_ uuid: UUID) -> JSON {
        [["_uuid", "==", ["uuid", .string(uuid.description)]]]
    }

    /// Replaces references to rows this transaction inserts by their uuid-names.
    private func substitute(_ json: JSON) -> JSON {
        switch json {
        case .array(let a):
            if a.count == 2, a[0] == "uuid", let s = a[1].stringValue, let u = UUID(s),
               let c = changes[u], c.inserted, !c.persistUUID {
                return ["named-uuid", .string(IDLTransaction.rowName(u))]
            }
            return .array(a.map(substitute))
        case .object(let o):
            return .object(JSONObject(uniqueKeysWithValues: o.map { ($0.key, substitute($0.value)) }))
        default:
            return json
        }
    }
}
