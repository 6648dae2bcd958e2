/// What one committed transaction changed: per table, each row's old and new contents
/// (nil old for an insert, nil new for a delete). Monitors and the log are fed from it.
public struct ChangeSet: Sendable {
    public struct RowChange: Sendable {
        public var uuid: UUID
        public var old: Row?
        public var new: Row?
        /// For a modification, the positions of the user columns whose values changed, in
        /// order; empty for an insert or a delete. Worked out once at commit, so that the log,
        /// the reference counts and the monitors need not compare the rows again.
        public var changed: [Int] = []

        /// Whether a modification changed `column` (`_version` always changes, `_uuid` never).
        public func changes(_ column: ColumnRef) -> Bool {
            switch column {
            case .uuid: return false
            case .version: return true
            case .user(let i): return changed.contains(i)
            }
        }
    }

    /// Indexed by table position in the schema.
    public var tables: [[RowChange]]
    public var comment: String?
    public var durable: Bool

    public var isEmpty: Bool { tables.allSatisfy { $0.isEmpty } }
}
