/// What one committed transaction changed: per table, each row's old and new contents
/// (nil old for an insert, nil new for a delete). Monitors and the log are fed from it.
public struct ChangeSet: Sendable {
    public struct RowChange: Sendable {
        public var uuid: UUID
        public var old: Row?
        public var new: Row?
    }

    /// Indexed by table position in the schema.
    public var tables: [[RowChange]]
    public var comment: String?
    public var durable: Bool

    public var isEmpty: Bool { tables.allSatisfy { $0.isEmpty } }
}
