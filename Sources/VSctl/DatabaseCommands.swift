import Daemon
import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// The generic database commands every *-ctl tool shares (`db_ctl_commands[]` in Open
/// vSwitch's db-ctl-base): comment, get, list, find, set, add, remove, clear, create, destroy,
/// wait-until.
enum DatabaseCommands {
    static let commands: [CommandSyntax] = [
        CommandSyntax("comment", 0, .max, "[ARG]...", .readOnly, run: nil),
        CommandSyntax("get", 2, .max, "TABLE RECORD [COLUMN[:KEY]]...", options: "--if-exists,--id=", .readOnly,
                      pre: preGet, run: get),
        CommandSyntax("list", 1, .max, "TABLE [RECORD]...", options: "--if-exists,--columns=", .readOnly,
                      pre: preList, run: list),
        CommandSyntax("find", 1, .max, "TABLE [COLUMN[:KEY]=VALUE]...", options: "--columns=", .readOnly,
                      pre: preFind, run: find),
        CommandSyntax("set", 3, .max, "TABLE RECORD COLUMN[:KEY]=VALUE...", options: "--if-exists", .readWrite,
                      pre: preColumnArguments(from: 3), run: set),
        CommandSyntax("add", 4, .max, "TABLE RECORD COLUMN [KEY=]VALUE...", options: "--if-exists", .readWrite,
                      pre: preTableAndColumn, run: add),
        CommandSyntax("remove", 4, .max, "TABLE RECORD COLUMN KEY|VALUE|KEY=VALUE...", options: "--if-exists", .readWrite,
                      pre: preTableAndColumn, run: remove),
        CommandSyntax("clear", 3, .max, "TABLE RECORD COLUMN...", options: "--if-exists", .readWrite,
                      pre: preClear, run: clear),
        CommandSyntax("create", 2, .max, "TABLE COLUMN[:KEY]=VALUE...", options: "--id=", .readWrite,
                      pre: preCreate, run: create, post: postCreate),
        CommandSyntax("destroy", 1, .max, "TABLE [RECORD]...", options: "--if-exists,--all", .readWrite,
                      pre: { p in _ = try p.table(p.argv[1]) }, run: destroy),
        CommandSyntax("wait-until", 2, .max, "TABLE RECORD [COLUMN[:KEY]=VALUE]...", .readOnly,
                      pre: preColumnArguments(from: 3), run: waitUntil),
    ]

    // MARK: Prerequisites

    static func preGet(_ p: inout Prerequisites) throws {
        if p.command.value("--id") == nil && p.argv.count <= 3 && isatty(STDOUT_FILENO) != 0 {
            VsctlLog.log("db_ctl_base", .warn, "\"get\" command without row arguments or \"--id\" is possibly erroneous")
        }
        let table = try p.table(p.argv[1])
        for arg in p.argv.dropFirst(3) where arg.lowercased() != "_uuid" && arg.lowercased() != "-uuid" {
            _ = try p.column(try ColumnArgument.columnName(arg), in: table)
        }
    }

    static func preList(_ p: inout Prerequisites) throws {
        let table = try p.table(p.argv[1])
        for c in try columns(p.command.value("--columns"), table).compactMap({ $0 }) {
            p.selection.addColumn(c.name, of: table.name)
        }
    }

    static func preFind(_ p: inout Prerequisites) throws {
        try preList(&p)
        let table = try p.table(p.argv[1])
        for arg in p.argv.dropFirst(2) { _ = try p.column(try ColumnArgument.columnName(arg), in: table) }
    }

    static func preColumnArguments(from first: Int) -> (inout Prerequisites) throws -> Void {
        { p in
            let table = try p.table(p.argv[1])
            for arg in p.argv.dropFirst(first) { _ = try p.column(try ColumnArgument.columnName(arg), in: table) }
        }
    }

    static func preTableAndColumn(_ p: inout Prerequisites) throws {
        let table = try p.table(p.argv[1])
        _ = try p.column(p.argv[3], in: table)
    }

    static func preClear(_ p: inout Prerequisites) throws {
        let table = try p.table(p.argv[1])
        for arg in p.argv.dropFirst(3) { _ = try p.column(arg, in: table) }
    }

    static func preCreate(_ p: inout Prerequisites) throws {
        let table = try NameMatching.table(p.argv[1], in: p.schema)
        if p.command.value("--id") == nil && !table.isRoot {
            VsctlLog.log("db_ctl_base", .warn, "applying \"create\" command to table \(table.name) without --id option will have no effect")
        }
    }

    /// `--columns=a,b` (nil column = `_uuid`), or `_uuid` and every column by name.
    static func columns(_ names: String?, _ table: TableSchema) throws -> [ColumnSchema?] {
        guard let names else { return [nil] + table.sortedColumns.map { Optional($0) } }
        var out: [ColumnSchema?] = []
        for name in names.split(whereSeparator: { $0 == "," || $0 == " " }) {
            out.append(name.lowercased() == "_uuid" ? nil : try NameMatching.column(String(name), in: table))
        }
        if out.isEmpty { throw VsctlError.fatal("must specify at least one column name") }
        return out
    }

    // MARK: Commands

    static func get(_ ctx: Context) throws {
        let id = ctx.value("--id")
        let mustExist = !ctx.has("--if-exists")
        if id != nil && !mustExist { throw VsctlError.fatal("--if-exists and --id may not be specified together") }
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        guard let row = try ctx.row(table, ctx.argv[2], mustExist: mustExist) else { return }
        if let id {
            let (_, isNew) = try ctx.symbols.create(id)
            if !isNew {
                throw VsctlError.fatal("row id \"\(id)\" specified on \"get\" command was used before it was defined")
            }
            ctx.symbols[id].uuid = row
            ctx.symbols[id].strongReference = true
        }
        for arg in ctx.argv.dropFirst(3) {
            if arg.lowercased() == "_uuid" || arg.lowercased() == "-uuid" {
                ctx.output += "\(row)\n"
                continue
            }
            let a = try ColumnArgument(arg, table: table, operators: nil)
            ctx.verify(table.name, row, a.column.name)
            let datum = ctx.value(table.name, row, a.column.name)
            if let keyText = a.key {
                guard a.column.type.isMap else {
                    throw VsctlError.fatal("cannot specify key to get for non-map column \(a.column.name)")
                }
                let key = try DataText.atom(keyText, a.column.type.key, ctx.symbolResolver)
                if let i = datum.index(of: key) {
                    ctx.output += datum.values![i].text
                } else if mustExist {
                    throw VsctlError.fatal("no key \"\(keyText)\" in \(table.name) record \"\(ctx.argv[2])\" column \(a.column.name)")
                }
            } else {
                ctx.output += datum.text(a.column.type)
            }
            ctx.output += "\n"
        }
    }

    private static func listTable(_ columns: [ColumnSchema?]) -> TextTable {
        TextTable(headings: columns.map { $0?.name ?? "_uuid" })
    }

    private static func addRecord(_ ctx: Context, _ table: TableSchema, _ row: UUID, _ columns: [ColumnSchema?], _ out: inout TextTable) {
        out.addRow(columns.map { c -> TextTable.Cell in
            guard let c else { return .datum(Datum(atom: .uuid(row)).json, ColumnSchema.uuidType) }
            return .datum(ctx.value(table.name, row, c.name).json, c.type)
        })
    }

    static func list(_ ctx: Context) throws {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        let columns = try columns(ctx.value("--columns"), table)
        var out = listTable(columns)
        if ctx.argv.count > 2 {
            for record in ctx.argv.dropFirst(2) {
                if let row = try ctx.row(table, record, mustExist: !ctx.has("--if-exists")) {
                    addRecord(ctx, table, row, columns, &out)
                }
            }
        } else {
            for row in ctx.transaction.rows(table.name) { addRecord(ctx, table, row, columns, &out) }
        }
        ctx.table = out
    }

    static func find(_ ctx: Context) throws {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        let columns = try columns(ctx.value("--columns"), table)
        var out = listTable(columns)
        rows: for row in ctx.transaction.rows(table.name) {
            for condition in ctx.argv.dropFirst(2) where !(try ctx.satisfies(table, row, condition)) {
                continue rows
            }
            addRecord(ctx, table, row, columns, &out)
        }
        ctx.table = out
    }

    static func set(_ ctx: Context) throws {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        guard let row = try ctx.row(table, ctx.argv[2], mustExist: !ctx.has("--if-exists")) else { return }
        for arg in ctx.argv.dropFirst(3) {
            try ctx.setColumn(table, row, arg, partial: ctx.isLastCommand)
        }
        ctx.invalidateCache()
    }

    /// The column, row and type `add` and `remove` work on.
    private static func target(_ ctx: Context) throws -> (TableSchema, ColumnSchema, UUID)? {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        let column = try NameMatching.column(ctx.argv[3], in: table)
        guard let row = try ctx.row(table, ctx.argv[2], mustExist: !ctx.has("--if-exists")) else { return nil }
        try ctx.checkMutable(table, row, column)
        return (table, column, row)
    }

    static func add(_ ctx: Context) throws {
        guard let (table, column, row) = try target(ctx) else { return }
        let type = column.type
        var new = ctx.isLastCommand ? Datum.empty(map: type.isMap) : ctx.value(table.name, row, column.name)
        let elementType = type.with(min: 1, max: Int(UInt32.max))
        for arg in ctx.argv.dropFirst(4) {
            new.insert(try DataText.datum(arg, elementType, ctx.symbolResolver))
        }
        if !ctx.isLastCommand && new.count > type.max {
            throw VsctlError.fatal("\"add\" operation would put \(new.count) \(type.isMap ? "pairs" : "values") in column \(column.name) of table \(table.name) but the maximum number is \(type.max)")
        }
        if ctx.isLastCommand {
            // Partial updates, one element at a time: a map's key takes the new value.
            for i in new.keys.indices {
                if let values = new.values {
                    ctx.transaction.mutateDelete(table.name, row, column.name, Datum(keys: [new.keys[i]]))
                    ctx.transaction.mutateInsert(table.name, row, column.name, Datum(keys: [new.keys[i]], values: [values[i]]))
                } else {
                    ctx.transaction.mutateInsert(table.name, row, column.name, Datum(keys: [new.keys[i]]))
                }
            }
        } else {
            ctx.verify(table.name, row, column.name)
            ctx.write(table.name, row, column.name, new)
        }
        ctx.invalidateCache()
    }

    static func remove(_ ctx: Context) throws {
        guard let (table, column, row) = try target(ctx) else { return }
        let type = column.type
        var old = ctx.value(table.name, row, column.name)
        let elementType = type.with(min: 1, max: Int(UInt32.max))
        for arg in ctx.argv.dropFirst(4) {
            let removed: Datum
            do {
                removed = try Datum(text: arg, type: elementType, symbols: ctx.symbolResolver)
            } catch {
                guard type.isMap else { throw VsctlError.fatal(error.description) }
                let keysOnly = ColumnType(key: type.key, value: nil, min: 1, max: Int(UInt32.max))
                removed = try DataText.datum(arg, keysOnly, ctx.symbolResolver)
            }
            old.delete(removed)
        }
        if old.count < type.min {
            throw VsctlError.fatal("\"remove\" operation would put \(old.count) \(type.isMap ? "pairs" : "values") in column \(column.name) of table \(table.name) but the minimum number is \(type.min)")
        }
        ctx.verify(table.name, row, column.name)
        ctx.write(table.name, row, column.name, old)
        ctx.invalidateCache()
    }

    static func clear(_ ctx: Context) throws {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        guard let row = try ctx.row(table, ctx.argv[2], mustExist: !ctx.has("--if-exists")) else { return }
        for arg in ctx.argv.dropFirst(3) {
            let column = try NameMatching.column(arg, in: table)
            try ctx.checkMutable(table, row, column)
            if column.type.min > 0 {
                throw VsctlError.fatal("\"clear\" operation cannot be applied to column \(column.name) of table \(table.name), which is not allowed to be empty")
            }
            ctx.write(table.name, row, column.name, Datum.empty(map: column.type.isMap))
        }
        ctx.invalidateCache()
    }

    static func create(_ ctx: Context) throws {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        var row: UUID
        if let id = ctx.value("--id"), let u = UUID(id) {
            row = ctx.transaction.insert(table.name, uuid: u, persistUUID: true)
        } else if let id = ctx.value("--id") {
            let (u, _) = try ctx.symbols.create(id)
            if table.isRoot { ctx.symbols[id].strongReference = true }
            row = ctx.transaction.insert(table.name, uuid: u)
        } else {
            row = ctx.transaction.insert(table.name)
        }
        for arg in ctx.argv.dropFirst(2) {
            try ctx.setColumn(table, row, arg, partial: false)
        }
        ctx.output += row.description
    }

    /// Replaces the stand-in uuid `create` printed by the one the server assigned.
    static func postCreate(_ ctx: Context) throws {
        if let standIn = UUID(ctx.output), let real = ctx.committed?.insertedRows[standIn] {
            ctx.output = real.description
        }
        ctx.output += "\n"
    }

    static func destroy(_ ctx: Context) throws {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        let mustExist = !ctx.has("--if-exists")
        let all = ctx.has("--all")
        if all && ctx.argv.count > 2 { throw VsctlError.fatal("--all and records argument should not be specified together") }
        if all && !mustExist { throw VsctlError.fatal("--all and --if-exists should not be specified together") }
        if !all && ctx.argv.count == 2 {
            VsctlLog.log("db_ctl_base", .warn, "either --all or records argument should be specified")
            return
        }
        if all {
            for row in ctx.transaction.rows(table.name) { ctx.transaction.delete(table.name, row) }
        } else {
            for record in ctx.argv.dropFirst(2) {
                if let row = try ctx.row(table, record, mustExist: mustExist) { ctx.transaction.delete(table.name, row) }
            }
        }
        ctx.invalidateCache()
    }

    static func waitUntil(_ ctx: Context) throws {
        let table = try NameMatching.table(ctx.argv[1], in: ctx.schema)
        guard let row = try ctx.row(table, ctx.argv[2], mustExist: false) else {
            ctx.tryAgain = true
            return
        }
        for condition in ctx.argv.dropFirst(3) where !(try ctx.satisfies(table, row, condition)) {
            ctx.tryAgain = true
            return
        }
    }
}
