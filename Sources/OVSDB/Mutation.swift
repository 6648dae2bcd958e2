import JSON

/// One element of a `mutate` operation (RFC 7047 §5.1 `<mutation>`).
public struct Mutation: Sendable {
    public enum Mutator: String, Sendable {
        case add = "+=", subtract = "-=", multiply = "*=", divide = "/=", modulo = "%="
        case insert, delete
    }

    public var column: Int
    public var mutator: Mutator
    public var argument: Datum

    /// Parses one mutation against `table`.
    public init(json: JSON, table: TableSchema, symbols: SymbolTable?) throws(OVSDBError) {
        guard case .array(let a) = json, a.count == 3, let name = a[0].stringValue, let mname = a[1].stringValue else {
            throw .syntax(json, "Parse error in mutation.")
        }
        if name == "_uuid" || name == "_version" {
            throw OVSDBError("constraint violation", "Cannot mutate immutable column \(name) in table \(table.name).", syntax: json)
        }
        guard let position = table.position(of: name) else {
            throw OVSDBError("unknown column", "No column \(name) in table \(table.name).", syntax: json)
        }
        let column = table.columns[position]
        guard column.mutable else {
            throw OVSDBError("constraint violation", "Cannot mutate immutable column \(name) in table \(table.name).", syntax: json)
        }
        guard let mutator = Mutator(rawValue: mname) else {
            throw OVSDBError("unknown mutator", "No mutator named \(mname).")
        }
        var type = column.type
        switch mutator {
        case .add, .subtract, .multiply, .divide, .modulo:
            let numeric = type.key.type == .integer || (type.key.type == .real && mutator != .modulo)
            guard numeric, type.value == nil else {
                throw .syntax(json, "Type mismatch: \"\(mname)\" operator may not be applied to column \(name) of type \(type.english).")
            }
            type = ColumnType(key: BaseType(type.key.type))
            argument = try Datum(json: a[2], type: type, symbols: symbols)
        case .insert, .delete:
            guard type.isSet || type.isMap else {
                throw .syntax(json, "Type mismatch: \"\(mname)\" operator may not be applied to column \(name) of type \(type.english).")
            }
            type.min = 0
            if mutator == .delete { type.max = .max }
            do {
                argument = try Datum(json: a[2], type: type, symbols: symbols)
            } catch let e {
                // Deleting from a map also takes a set of keys.
                guard mutator == .delete, type.isMap else { throw e }
                type.value = nil
                argument = try Datum(json: a[2], type: type, symbols: symbols)
            }
        }
        self.column = position
        self.mutator = mutator
    }

    /// Applies the mutation to `row` of `table`, checking constraints on the result.
    public func apply(to row: inout Row, table: TableSchema) throws(OVSDBError) {
        let column = table.columns[self.column]
        var d = row.values[self.column]
        switch mutator {
        case .insert:
            d.insert(argument)
        case .delete:
            d.delete(argument)
        case .add, .subtract, .multiply, .divide, .modulo:
            let arg = argument.first!
            let op = mutator
            let ok = try d.transformKeys { (a: Atom) throws(OVSDBError) -> Atom in
                let r = try Mutation.arithmetic(op, a, arg)
                try column.type.key.check(r)
                return r
            }
            if !ok {
                throw OVSDBError("constraint violation", "Result of \"\(mutator.rawValue)\" operation contains duplicates.")
            }
        }
        if d.count < column.type.min || d.count > column.type.max {
            throw .constraint("Attempted to store \(d.count) elements in \(column.type.english).")
        }
        row.values[self.column] = d
    }

    static func arithmetic(_ op: Mutator, _ a: Atom, _ b: Atom) throws(OVSDBError) -> Atom {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let r: (Int64, Bool)
            switch op {
            case .add: r = x.addingReportingOverflow(y)
            case .subtract: r = x.subtractingReportingOverflow(y)
            case .multiply: r = x.multipliedReportingOverflow(by: y)
            case .divide, .modulo:
                if y == 0 { throw OVSDBError("domain error", "Division by zero.") }
                r = op == .divide ? x.dividedReportingOverflow(by: y) : x.remainderReportingOverflow(dividingBy: y)
            default: r = (x, false)
            }
            if r.1 { throw OVSDBError("range error", "Result of \"\(op.rawValue)\" operation is out of range.") }
            return .integer(r.0)
        case (.real(let x), .real(let y)):
            let r: Double
            switch op {
            case .add: r = x + y
            case .subtract: r = x - y
            case .multiply: r = x * y
            case .divide:
                if y == 0 { throw OVSDBError("domain error", "Division by zero.") }
                r = x / y
            default: r = x
            }
            if !r.isFinite { throw OVSDBError("range error", "Result of \"\(op.rawValue)\" operation is out of range.") }
            return .real(r)
        default:
            return a
        }
    }
}
