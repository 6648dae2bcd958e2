/// The named uuids of one transaction (`"uuid-name"` in insert, `["named-uuid", name]` in
/// values). A name may be referenced before the insert that creates it.
public final class SymbolTable {
    public struct Symbol {
        public var uuid: UUID
        /// Set once an insert has claimed the name.
        public var created: Bool
    }

    public private(set) var symbols: [String: Symbol] = [:]
    public init() {}

    /// The uuid bound to `name`, binding a fresh one on first use.
    public func reference(_ name: String) -> UUID {
        if let s = symbols[name] { return s.uuid }
        let u = UUID.random()
        symbols[name] = Symbol(uuid: u, created: false)
        return u
    }

    /// Claims `name` for an insert; an explicit `uuid` is used when the name is new.
    public func create(_ name: String, uuid: UUID?) throws(OVSDBError) -> UUID {
        if var s = symbols[name] {
            if s.created { throw OVSDBError("duplicate uuid-name", "This \"uuid-name\" appeared on an earlier \"insert\" operation.") }
            s.created = true
            symbols[name] = s
            return s.uuid
        }
        let u = uuid ?? UUID.random()
        symbols[name] = Symbol(uuid: u, created: true)
        return u
    }
}
