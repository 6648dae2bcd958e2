import OVSDB
import OVSDBIDL

/// What a command runs against (`struct ctl_context` + `struct vsctl_context`): the
/// transaction being built over the replica, the `@name` symbols, the bridge cache, and the
/// command's own words, options and output. One context serves all commands of an invocation
/// in turn.
final class Context {
    let schema: DatabaseSchema
    var transaction: IDLTransaction
    var symbols: RowSymbols
    /// The Open_vSwitch row.
    let openVSwitch: UUID
    /// Interfaces created by add-br, add-port, add-bond and add-bond-iface, to check once
    /// ovs-vswitchd has applied the change.
    var newInterfaces: [UUID] = []
    /// What the commit reported, for the commands' postprocessing.
    var committed: IDLTransaction.Committed?

    private(set) var command: ParsedCommand
    var output = ""
    var table: TextTable?
    /// Set by `wait-until` when its condition does not hold yet.
    var tryAgain = false
    var isLastCommand = false
    /// Whether this command has verified the bridge/port/interface structure.
    var verifiedPorts = false
    private var cachedBridges: BridgeCache?

    init(schema: DatabaseSchema, transaction: IDLTransaction, openVSwitch: UUID, first: ParsedCommand) {
        self.schema = schema
        self.transaction = transaction
        self.symbols = RowSymbols()
        self.openVSwitch = openVSwitch
        self.command = first
    }

    /// Starts running `command`.
    func begin(_ command: ParsedCommand, last: Bool) {
        self.command = command
        output = ""
        table = nil
        tryAgain = false
        isLastCommand = last
        verifiedPorts = false
    }

    var argv: [String] { command.argv }
    func has(_ option: String) -> Bool { command.has(option) }
    func value(_ option: String) -> String? { command.value(option) }

    // MARK: Reading and writing through the transaction

    func value(_ table: String, _ uuid: UUID, _ column: String) -> Datum {
        transaction.value(table, uuid, column)
    }

    func string(_ table: String, _ uuid: UUID, _ column: String) -> String? {
        value(table, uuid, column).first?.stringValue
    }

    func integer(_ table: String, _ uuid: UUID, _ column: String) -> Int64? {
        if case .integer(let i)? = value(table, uuid, column).first { return i }
        return nil
    }

    func uuids(_ table: String, _ uuid: UUID, _ column: String) -> [UUID] {
        value(table, uuid, column).keys.compactMap(\.uuidValue)
    }

    func write(_ table: String, _ uuid: UUID, _ column: String, _ datum: Datum) {
        transaction.write(table, uuid, column, datum)
    }

    func write(_ table: String, _ uuid: UUID, _ column: String, uuids: [UUID]) {
        write(table, uuid, column, Datum(keys: uuids.sorted().map { .uuid($0) }))
    }

    func write(_ table: String, _ uuid: UUID, _ column: String, string: String?) {
        write(table, uuid, column, string.map { Datum(atom: .string($0)) } ?? Datum(keys: []))
    }

    func verify(_ table: String, _ uuid: UUID, _ column: String) {
        transaction.verify(table, uuid, column)
    }

    // MARK: The bridge cache

    /// The bridges, ports and interfaces as the transaction stands (`vsctl_context_populate_cache`).
    var bridges: BridgeCache {
        if let cachedBridges { return cachedBridges }
        let cache = BridgeCache(self)
        cachedBridges = cache
        return cache
    }

    /// Forgets the cache after a generic database command changed something under it.
    func invalidateCache() { cachedBridges = nil }
}

/// What a command needs replicated, declared before connecting (`pre_*` functions).
struct Prerequisites {
    let schema: DatabaseSchema
    var selection: IDLSelection
    let command: ParsedCommand

    var argv: [String] { command.argv }

    mutating func add(_ table: String, _ columns: String...) {
        selection.addTable(table)
        for c in columns { selection.addColumn(c, of: table) }
    }
}

/// The `@name` row identifiers of one invocation (`struct ovsdb_symbol_table` as ovs-vsctl
/// uses it): each stands for a row that `create --id=@name` makes (or `get --id=@name`
/// finds), and remembers how it was referenced, to warn about rows nothing will keep.
struct RowSymbols {
    struct Symbol {
        var uuid: UUID
        var created = false
        var strongReference = false
        var weakReference = false
    }

    private(set) var symbols: [String: Symbol] = [:]
    /// Names in first-use order.
    private(set) var order: [String] = []

    /// The symbol's uuid, creating the symbol on first use (`ovsdb_symbol_table_insert`).
    mutating func uuid(_ name: String) -> UUID {
        if let s = symbols[name] { return s.uuid }
        symbols[name] = Symbol(uuid: .random())
        order.append(name)
        return symbols[name]!.uuid
    }

    /// Resolves `@name` in a value of `base`'s type, noting the kind of reference.
    mutating func reference(_ name: String, as base: BaseType) -> UUID {
        let u = uuid(name)
        if base.refTable != nil {
            if base.refType == .strong { symbols[name]!.strongReference = true } else { symbols[name]!.weakReference = true }
        }
        return u
    }

    subscript(name: String) -> Symbol {
        get { symbols[name]! }
        set { symbols[name] = newValue }
    }

    /// `create_symbol`: claims `id` for a row this command makes or names.
    mutating func create(_ id: String) throws -> (uuid: UUID, isNew: Bool) {
        guard id.hasPrefix("@") else { throw VsctlError.fatal("row id \"\(id)\" does not begin with \"@\"") }
        let isNew = symbols[id] == nil
        _ = uuid(id)
        if symbols[id]!.created {
            throw VsctlError.fatal("row id \"\(id)\" may only be specified on one --id option")
        }
        symbols[id]!.created = true
        return (symbols[id]!.uuid, isNew)
    }
}

extension Context {
    /// A resolver for `@name` in values, bound to this context's symbols.
    var symbolResolver: SymbolResolver {
        { [unowned self] name, base in self.symbols.reference(name, as: base) }
    }
}
