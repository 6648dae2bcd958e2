import OVSDB

/// An argument of the form `COLUMN[:KEY][OP VALUE]` (`parse_column_key_value`): the column
/// (abbreviations allowed), the map key, the operator and the value text.
struct ColumnArgument {
    var column: ColumnSchema
    var key: String?
    /// Index into the allowed operators.
    var operatorIndex: Int?
    var value: String?

    /// The relational operators of `find` and `wait-until`, in Open vSwitch's order.
    static let relations = ["=", "!=", "<", ">", "<=", ">=", "{=}", "{!=}", "{<}", "{>}", "{<=}", "{>=}", "{in}", "{not-in}"]

    /// Parses `arg` against `table`. With `operators` nil, no value may follow; with `[]`,
    /// `=` is the one operator.
    init(_ arg: String, table: TableSchema, operators: [String]?) throws {
        var scanner = TokenScanner(arg)
        let name = try ColumnArgument.token(&scanner)
        if name.isEmpty { throw VsctlError.fatal("\(arg): missing column name") }
        column = try NameMatching.column(name, in: table)
        if scanner.peek == UInt8(ascii: ":") {
            scanner.advance()
            key = try ColumnArgument.token(&scanner)
        }
        let rest = Array(scanner.rest.utf8)
        guard let operators else {
            if !rest.isEmpty { throw VsctlError.fatal("\(arg): trailing garbage \"\(scanner.rest)\" in argument") }
            return
        }
        let allowed = operators.isEmpty ? ["="] : operators
        var best: Int?
        var bestLength = 0
        for (i, op) in allowed.enumerated() {
            let o = Array(op.utf8)
            if o.count > bestLength && rest.starts(with: o) && rest.count > o.count {
                best = i
                bestLength = o.count
            }
        }
        guard let best else { throw VsctlError.fatal(ColumnArgument.missingOperator(arg, allowed)) }
        operatorIndex = best
        value = String(decoding: rest[bestLength...], as: UTF8.self)
    }

    /// Just the column name of `arg`, for prerequisites (`pre_parse_column_key_value`).
    static func columnName(_ arg: String) throws -> String {
        var scanner = TokenScanner(arg)
        let name = try token(&scanner)
        if name.isEmpty { throw VsctlError.fatal("\(arg): missing column name") }
        return name
    }

    private static func token(_ scanner: inout TokenScanner) throws -> String {
        do {
            return try scanner.token()
        } catch {
            throw VsctlError.fatal(error.description)
        }
    }

    private static func missingOperator(_ arg: String, _ ops: [String]) -> String {
        var s = "\(arg): argument does not end in \"\(ops[0])\""
        if ops.count == 2 {
            s += " or \"\(ops[1])\""
        } else if ops.count > 2 {
            for op in ops[1..<(ops.count - 1)] { s += ", \"\(op)\"" }
            s += ", or \"\(ops[ops.count - 1])\""
        }
        return s + " followed by a value."
    }
}

/// Text → OVSDB data, with ovs-vsctl's errors.
enum DataText {
    static func datum(_ text: String, _ type: ColumnType, _ symbols: SymbolResolver?) throws -> Datum {
        do {
            return try Datum(text: text, type: type, symbols: symbols)
        } catch {
            throw VsctlError.fatal(error.description)
        }
    }

    static func atom(_ text: String, _ base: BaseType, _ symbols: SymbolResolver?) throws -> Atom {
        do {
            return try Atom(text: text, base: base, symbols: symbols)
        } catch {
            throw VsctlError.fatal(error.description)
        }
    }
}

extension Context {
    /// `set_column`: applies `COLUMN[:KEY]=VALUE` to a row. A keyed write on the last command
    /// is a partial map update, so it cannot race with other writers of the same map.
    func setColumn(_ table: TableSchema, _ row: UUID, _ arg: String, partial: Bool) throws {
        let a = try ColumnArgument(arg, table: table, operators: [])
        guard let valueText = a.value else { throw VsctlError.fatal("\(arg): missing value") }
        try checkMutable(table, row, a.column)
        let type = a.column.type
        if let keyText = a.key {
            guard let valueType = type.value else {
                throw VsctlError.fatal("cannot specify key to set for non-map column \(a.column.name)")
            }
            let key = try DataText.atom(keyText, type.key, symbolResolver)
            let value = try DataText.atom(valueText, valueType, symbolResolver)
            if partial {
                transaction.mutateDelete(table.name, row, a.column.name, Datum(keys: [key]))
                transaction.mutateInsert(table.name, row, a.column.name, Datum(keys: [key], values: [value]))
            } else {
                var datum = Datum(keys: [key], values: [value])
                datum.insert(self.value(table.name, row, a.column.name))
                verify(table.name, row, a.column.name)
                write(table.name, row, a.column.name, datum)
            }
        } else {
            write(table.name, row, a.column.name, try DataText.datum(valueText, type, symbolResolver))
        }
    }

    /// `check_mutable`: immutable columns may be set only on rows this transaction inserts.
    func checkMutable(_ table: TableSchema, _ row: UUID, _ column: ColumnSchema) throws {
        if !column.mutable && !transaction.isInserted(row) {
            throw VsctlError.fatal("cannot modify read-only column \(column.name) in table \(table.name)")
        }
    }

    /// `check_condition`: whether the row satisfies `COLUMN[:KEY]OP VALUE`.
    func satisfies(_ table: TableSchema, _ row: UUID, _ arg: String) throws -> Bool {
        let a = try ColumnArgument(arg, table: table, operators: ColumnArgument.relations)
        guard let valueText = a.value, let op = a.operatorIndex else { throw VsctlError.fatal("\(arg): missing value") }
        let relation = ColumnArgument.relations[op]
        let have = value(table.name, row, a.column.name)
        var type = a.column.type
        type.max = Int(UInt32.max)
        if let keyText = a.key {
            guard let valueBase = a.column.type.value else {
                throw VsctlError.fatal("cannot specify key to check for non-map column \(a.column.name)")
            }
            let key = try DataText.atom(keyText, a.column.type.key, symbolResolver)
            let elementType = ColumnType(key: valueBase, value: nil, min: type.min, max: type.max)
            let want = try DataText.datum(valueText, elementType, symbolResolver)
            guard let i = have.index(of: key) else {
                return relation.hasPrefix("{") ? Context.evaluate(Datum(keys: []), want, relation) : false
            }
            return Context.evaluate(Datum(keys: [have.values![i]]), want, relation)
        }
        let want = try DataText.datum(valueText, a.column.type, symbolResolver)
        return Context.evaluate(have, want, relation)
    }

    /// `evaluate_relop`.
    static func evaluate(_ a: Datum, _ b: Datum, _ relation: String) -> Bool {
        switch relation {
        case "=", "{=}": return Datum.compare3way(a, b) == 0
        case "!=", "{!=}": return Datum.compare3way(a, b) != 0
        case "<": return Datum.compare3way(a, b) < 0
        case ">": return Datum.compare3way(a, b) > 0
        case "<=": return Datum.compare3way(a, b) <= 0
        case ">=": return Datum.compare3way(a, b) >= 0
        case "{<}": return b.count > a.count && b.includes(a)
        case "{>}": return a.count > b.count && a.includes(b)
        case "{<=}", "{in}": return b.includes(a)
        case "{>=}": return a.includes(b)
        case "{not-in}": return b.excludes(a)
        default: return false
        }
    }
}
