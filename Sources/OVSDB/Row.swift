import JSON

/// One row: its uuid, its version (a fresh uuid on every change) and a datum per user column,
/// in schema order.
public struct Row: Sendable, Equatable {
    public var uuid: UUID
    public var version: UUID
    public var values: [Datum]

    public init(uuid: UUID, version: UUID, values: [Datum]) {
        self.uuid = uuid
        self.version = version
        self.values = values
    }

    /// A row of `table` with every column at its default.
    public init(defaultsFor table: TableSchema, uuid: UUID) {
        self.init(uuid: uuid, version: uuid, values: table.columns.map { Datum.defaultValue($0.type) })
    }

    /// The value of `column`, including the implicit `_uuid` and `_version`.
    public func value(_ column: ColumnRef) -> Datum {
        switch column {
        case .uuid: return Datum(atom: .uuid(uuid))
        case .version: return Datum(atom: .uuid(version))
        case .user(let i): return values[i]
        }
    }

    /// The positions of the user columns whose values differ between `self` and `other`.
    func columnsDiffering(from other: Row) -> [Int] {
        var out: [Int] = []
        for i in values.indices where values[i] != other.values[i] { out.append(i) }
        return out
    }

    /// The row as a JSON object with the given columns.
    public func json(_ columns: [ColumnRef], schema: TableSchema) -> JSON {
        var o = JSONObject(minimumCapacity: columns.count)
        for c in columns { o.appendUnique(c.name(in: schema), value(c).json) }
        return .object(o)
    }
}

/// A column named in an operation: a user column by position, or one of the implicit ones.
public enum ColumnRef: Hashable, Sendable {
    case uuid
    case version
    case user(Int)

    public init?(_ name: String, in table: TableSchema) {
        switch name {
        case "_uuid": self = .uuid
        case "_version": self = .version
        default:
            guard let p = table.position(of: name) else { return nil }
            self = .user(p)
        }
    }

    public func name(in table: TableSchema) -> String {
        switch self {
        case .uuid: return "_uuid"
        case .version: return "_version"
        case .user(let i): return table.columns[i].name
        }
    }

    public func type(in table: TableSchema) -> ColumnType {
        switch self {
        case .uuid, .version: return ColumnSchema.uuidType
        case .user(let i): return table.columns[i].type
        }
    }

    /// Every column of `table`: `_uuid`, `_version`, then the user columns.
    public static func all(_ table: TableSchema) -> [ColumnRef] {
        [.uuid, .version] + table.columns.indices.map { .user($0) }
    }
}
