import OVSDB

/// One row of a replica: its uuid and the selected columns it has values for. A column that
/// is absent has its type's default value.
public struct IDLRow: Sendable, Equatable {
    public let uuid: UUID
    public internal(set) var columns: [String: Datum]

    public init(uuid: UUID, columns: [String: Datum] = [:]) {
        self.uuid = uuid
        self.columns = columns
    }

    /// `column`'s value, or the default for `type` when the row has none.
    public func value(_ column: String, _ type: ColumnType) -> Datum {
        columns[column] ?? Datum.defaultValue(type)
    }
}

/// What happened to one row in an update, for change tracking
/// (`ovsdb_idl_track_get_first`/`ovsdb_idl_row_get_seqno`).
public struct IDLChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case insert, modify, delete }
    public var table: String
    public var uuid: UUID
    public var kind: Kind
    /// The columns whose value changed (all of the row's columns for insert and delete).
    public var columns: Set<String>
}
