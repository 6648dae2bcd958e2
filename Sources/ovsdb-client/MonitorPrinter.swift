import Daemon
import JSON
import OVSDB

/// Prints what a monitor reports (`<table-updates>` of `monitor`, `<table-updates2>` of
/// `monitor_cond`), one table per monitored table that changed, rows in the order Open
/// vSwitch's client walks the update object (its hash order).
struct MonitorPrinter {
    let client: Client
    let tables: [MonitoredTable]

    /// A `monitor` reply or `update` notification.
    func printUpdates(_ updates: JSON, initial: Bool) {
        printEach(updates, "<table-updates>", "<row-update>") { mt, uuid, ru, t in
            let old = ru["old"], new = ru["new"]
            if initial {
                addRow(new, "initial", uuid, mt, &t)
            } else if old == nil {
                addRow(new, "insert", uuid, mt, &t)
            } else if new == nil {
                addRow(old, "delete", uuid, mt, &t)
            } else {
                addRow(old, "old", uuid, mt, &t)
                addRow(new, "new", "", mt, &t)
            }
        }
    }

    /// A `monitor_cond` reply or `update2` notification.
    func printUpdates2(_ updates: JSON) {
        printEach(updates, "<table-updates2>", "<row-update2>") { mt, uuid, ru, t in
            for operation in ["delete", "initial", "modify", "insert"] {
                guard let row = ru[operation] else { continue }
                if operation == "delete" {
                    if row.isNull {
                        t.addRow([.text(uuid), .text(operation)])
                    } else {
                        Console.error("delete method does not expect <row>")
                    }
                } else if row.objectValue == nil {
                    Console.error("<row> is not object")
                } else {
                    addRow(row, operation, uuid, mt, &t)
                }
                break
            }
        }
    }

    /// Walks the row updates of each monitored table that changed, printing one table each,
    /// with Open vSwitch's complaints about malformed parts (`what` names them).
    private func printEach(_ updates: JSON, _ what: String, _ rowWhat: String,
                           _ body: (MonitoredTable, String, JSONObject, inout TextTable) -> Void) {
        guard let updates = updates.objectValue else { return Console.error("\(what) is not object") }
        for mt in tables {
            guard let update = updates[mt.table.name] else { continue }
            guard let rows = update.objectValue else {
                Console.error("<table-update> for table \(mt.table.name) is not object")
                continue
            }
            var t = table(for: mt)
            for (uuid, rowUpdate) in rows.inShashOrder {
                guard let ru = rowUpdate.objectValue else {
                    Console.error("\(rowWhat) is not object")
                    continue
                }
                body(mt, uuid, ru, &t)
            }
            client.printTable(t)
        }
    }

    private func table(for mt: MonitoredTable) -> TextTable {
        TextTable(headings: ["row", "action"] + mt.columns,
                  caption: tables.count > 1 ? mt.table.name : nil,
                  timestamp: client.options.timestamp)
    }

    /// `monitor_print_row()`.
    private func addRow(_ row: JSON?, _ action: String, _ uuid: String, _ mt: MonitoredTable, _ t: inout TextTable) {
        guard let row else { return Console.error("missing \(action) row") }
        guard let values = row.objectValue else { return Console.error("<row> is not object") }
        var cells: [TextTable.Cell] = [.text(uuid), .text(action)]
        for column in mt.columns {
            if let v = values[column] { cells.append(.datum(v, mt.type(of: column))) } else { cells.append(.empty) }
        }
        t.addRow(cells)
    }
}
