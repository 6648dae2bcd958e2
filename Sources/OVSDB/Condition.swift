import JSON

/// One clause of a `where` (RFC 7047 §5.1 `<condition>`), or a constant `true`/`false`
/// (an Open vSwitch extension used by `monitor_cond`).
public enum Condition: Sendable, Hashable {
    public enum Function: String, Sendable {
        case lessThan = "<", lessOrEqual = "<=", equal = "==", notEqual = "!="
        case greaterOrEqual = ">=", greaterThan = ">", includes, excludes
    }

    case constant(Bool)
    case clause(column: ColumnRef, function: Function, value: Datum)

    /// Parses one clause against `table`.
    public init(json: JSON, table: TableSchema, symbols: SymbolTable? = nil) throws(OVSDBError) {
        if let b = json.boolValue {
            self = .constant(b)
            return
        }
        guard case .array(let a) = json, a.count == 3, let name = a[0].stringValue, let fname = a[1].stringValue else {
            throw .syntax(json, "Parse error in condition.")
        }
        guard let column = ColumnRef(name, in: table) else {
            throw OVSDBError("unknown column", "No column \(name) in table \(table.name).", syntax: json)
        }
        guard let function = Function(rawValue: fname) else {
            throw OVSDBError("unknown function", "No function named \(fname).")
        }
        var type = column.type(in: table)
        switch function {
        case .lessThan, .lessOrEqual, .greaterOrEqual, .greaterThan:
            guard type.max == 1, type.value == nil, type.key.type == .integer || type.key.type == .real else {
                throw .syntax(json, "Type mismatch: \"\(fname)\" operator may not be applied to column \(name) of type \(type.english).")
            }
            type.min = 1
        case .equal, .notEqual:
            break
        case .excludes:
            if !type.isScalar { type = type.with(min: 0, max: .max) }
        case .includes:
            if !type.isScalar { type.min = 0 }
        }
        self = .clause(column: column, function: function, value: try Datum(json: a[2], type: type, symbols: symbols))
    }

    /// True if `row` satisfies the clause.
    public func matches(_ row: Row) -> Bool {
        switch self {
        case .constant(let b): return b
        case .clause(let column, let function, let value):
            let d = row.value(column)
            switch function {
            case .equal: return d == value
            case .notEqual: return d != value
            case .includes: return d.includes(value)
            case .excludes: return d.excludes(value)
            case .lessThan, .lessOrEqual, .greaterOrEqual, .greaterThan:
                guard let x = d.first, let y = value.first else { return false }
                switch function {
                case .lessThan: return x < y
                case .lessOrEqual: return !(y < x)
                case .greaterThan: return y < x
                default: return !(x < y)
                }
            }
        }
    }

    /// The row uuid this clause pins down (`_uuid == X`), which lets a lookup skip the scan.
    var pinnedUUID: UUID? {
        if case .clause(.uuid, .equal, let v) = self, v.count == 1 { return v.first?.uuidValue }
        return nil
    }
}

/// A list of clauses that must all hold.
public struct Where: Sendable, Hashable {
    public var clauses: [Condition]

    public init(_ clauses: [Condition] = []) { self.clauses = clauses }

    public init(json: JSON, table: TableSchema, symbols: SymbolTable? = nil) throws(OVSDBError) {
        guard let a = json.arrayValue else { throw .syntax(json, "Parse error in condition.") }
        var clauses: [Condition] = []
        clauses.reserveCapacity(a.count)
        for c in a { clauses.append(try Condition(json: c, table: table, symbols: symbols)) }
        self.init(clauses)
    }

    public func matches(_ row: Row) -> Bool { clauses.allSatisfy { $0.matches(row) } }

    /// The uuid the clauses pin the match to, if one of them is `_uuid == X`.
    var pinnedUUID: UUID? { clauses.lazy.compactMap(\.pinnedUUID).first }
}
