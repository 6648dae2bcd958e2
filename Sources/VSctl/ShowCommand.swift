import OVSDB

/// `show`: the Open_vSwitch row and everything it leads to, indented (`cmd_show`).
enum ShowCommand {
    struct TableLayout {
        var table: String
        /// The column whose value names a row (`Bridge br0`); rows without one print their uuid.
        var nameColumn: String?
        var columns: [String]
    }

    static let layouts: [TableLayout] = [
        .init(table: "Open_vSwitch", nameColumn: nil, columns: ["manager_options", "bridges", "ovs_version"]),
        .init(table: "Bridge", nameColumn: "name", columns: ["controller", "fail_mode", "datapath_type", "ports"]),
        .init(table: "Port", nameColumn: "name", columns: ["tag", "trunks", "interfaces"]),
        .init(table: "Interface", nameColumn: "name", columns: ["type", "options", "error", "bfd_status"]),
        .init(table: "Controller", nameColumn: "target", columns: ["is_connected"]),
        .init(table: "Manager", nameColumn: "target", columns: ["is_connected"]),
    ]

    static func prerequisites(_ p: inout Prerequisites) {
        for l in layouts {
            p.selection.addTable(l.table)
            if let n = l.nameColumn { p.selection.addColumn(n, of: l.table) }
            for c in l.columns { p.selection.addColumn(c, of: l.table) }
        }
    }

    static func run(_ ctx: Context) throws {
        var shown: Set<String> = []
        for row in ctx.transaction.rows("Open_vSwitch") {
            show(ctx, layouts[0], row, level: 0, &shown)
        }
    }

    private static func layout(_ table: String) -> TableLayout? { layouts.first { $0.table == table } }

    private static func show(_ ctx: Context, _ layout: TableLayout?, _ row: UUID, level: Int, _ shown: inout Set<String>) {
        let indent = String(repeating: " ", count: level * 4)
        let schema = ctx.schema
        if let layout, let nameColumn = layout.nameColumn {
            let type = schema.table(layout.table)!.column(nameColumn)!.type
            ctx.output += "\(indent)\(layout.table) \(ctx.value(layout.table, row, nameColumn).text(type))\n"
        } else {
            ctx.output += "\(indent)\(row)\n"
        }
        guard let layout, !shown.contains(layout.table) else { return }
        shown.insert(layout.table)
        defer { shown.remove(layout.table) }
        let table = schema.table(layout.table)!
        for name in layout.columns {
            guard let column = table.column(name) else { continue }
            let datum = ctx.value(layout.table, row, name)
            if let ref = column.type.key.refTable, column.type.key.type == .uuid, let refLayout = self.layout(ref) {
                for u in datum.keys.compactMap(\.uuidValue) where ctx.transaction.exists(ref, u) {
                    show(ctx, refLayout, u, level: level + 1, &shown)
                }
                continue
            }
            if let valueBase = column.type.value, valueBase.type == .uuid, let ref = valueBase.refTable,
               let refLayout = self.layout(ref), let refName = refLayout.nameColumn {
                ctx.output += "\(indent)    \(name):\n"
                let refType = schema.table(ref)!.column(refName)!.type
                for i in datum.keys.indices {
                    var line = "\(indent)        \(datum.keys[i].text)="
                    if let u = datum.values![i].uuidValue, ctx.transaction.exists(ref, u) {
                        line += ctx.value(ref, u, refName).text(refType)
                    } else {
                        line += "\"<null>\""
                    }
                    ctx.output += line + "\n"
                }
                continue
            }
            if !datum.isDefault(column.type) {
                ctx.output += "\(indent)    \(name): \(datum.text(column.type))\n"
            }
        }
    }
}
