import JSON
#if canImport(Glibc)
import Glibc
#endif

/// The five OVSDB atomic types (RFC 7047 §3.1).
public enum AtomicType: String, Sendable, CaseIterable {
    case integer, real, boolean, string, uuid
}

/// One value of an atomic type.
///
/// Strings compare and hash by their UTF-8 bytes, as `strcmp` does in Open vSwitch: two strings
/// that Swift would call canonically equivalent are still different OVSDB values.
public enum Atom: Sendable {
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    case string(String)
    case uuid(UUID)

    public var type: AtomicType {
        switch self {
        case .integer: return .integer
        case .real: return .real
        case .boolean: return .boolean
        case .string: return .string
        case .uuid: return .uuid
        }
    }

    /// The default value of `type`: 0, 0.0, false, "", or the all-zero uuid.
    public static func defaultValue(_ type: AtomicType) -> Atom {
        switch type {
        case .integer: return .integer(0)
        case .real: return .real(0)
        case .boolean: return .boolean(false)
        case .string: return .string("")
        case .uuid: return .uuid(.zero)
        }
    }

    public var uuidValue: UUID? {
        if case .uuid(let u) = self { return u }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

extension Atom: Hashable, Comparable {
    public static func == (a: Atom, b: Atom) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x == y
        case (.real(let x), .real(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.string(let x), .string(let y)): return Atom.compareBytes(x, y) == 0
        case (.uuid(let x), .uuid(let y)): return x == y
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .integer(let x): h.combine(x)
        case .real(let x): h.combine(x)
        case .boolean(let x): h.combine(x)
        case .string(let x):
            if let done: Void = x.utf8.withContiguousStorageIfAvailable({ h.combine(bytes: UnsafeRawBufferPointer($0)) }) {
                return done
            }
            for b in x.utf8 { h.combine(b) }
        case .uuid(let x): h.combine(x)
        }
    }

    /// OVSDB's order: numeric for numbers, false < true, bytewise for strings, uuids by value.
    /// Atoms of different types never meet in one datum; they order by type to stay total.
    public static func < (a: Atom, b: Atom) -> Bool {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y
        case (.real(let x), .real(let y)): return x < y
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.string(let x), .string(let y)): return Atom.compareBytes(x, y) < 0
        case (.uuid(let x), .uuid(let y)): return x < y
        default: return a.typeRank < b.typeRank
        }
    }

    /// `strcmp` on the strings' UTF-8 bytes: negative, zero or positive.
    static func compareBytes(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Int in
                let n = min(pa.count, pb.count)
                let c = n == 0 ? 0 : Int(memcmp(pa.baseAddress!, pb.baseAddress!, n))
                return c != 0 ? c : pa.count - pb.count
            }
        }
        if let fast, let result = fast { return result }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    private var typeRank: Int {
        switch self {
        case .integer: return 0
        case .real: return 1
        case .boolean: return 2
        case .string: return 3
        case .uuid: return 4
        }
    }
}

extension Atom {
    /// The atom's RFC 7047 JSON form.
    public var json: JSON {
        switch self {
        case .integer(let i): return .integer(i)
        case .real(let r): return .real(r)
        case .boolean(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .uuid(let u): return .array([.string("uuid"), .string(u.description)])
        }
    }

    /// Reads an atom of `type` from JSON. Named uuids (`["named-uuid", name]`) are resolved
    /// through `symbols`; without a symbol table they are an error.
    public init(json: JSON, type: AtomicType, symbols: SymbolTable? = nil) throws(OVSDBError) {
        switch (type, json) {
        case (.integer, .integer(let i)): self = .integer(i)
        case (.real, .integer(let i)): self = .real(Double(i))
        case (.real, .real(let r)): self = .real(r)
        case (.boolean, .bool(let b)): self = .boolean(b)
        case (.string, .string(let s)): self = .string(s)
        case (.uuid, _):
            self = .uuid(try Atom.parseUUID(json, symbols: symbols))
        default:
            throw .syntax(json, "expected \(type.rawValue)")
        }
    }

    /// `["uuid", "<uuid>"]`, or with a symbol table `["named-uuid", "<id>"]`.
    private static func parseUUID(_ json: JSON, symbols: SymbolTable?) throws(OVSDBError) -> UUID {
        let pair = json.arrayValue.flatMap { $0.count == 2 ? ($0[0].stringValue, $0[1].stringValue) : nil }
        if let (tag, text) = pair, tag == "uuid", let text {
            guard let u = UUID(text) else { throw .syntax(json, "\"\(text)\" is not a valid UUID") }
            return u
        }
        if let symbols, let (tag, name) = pair, tag == "named-uuid", let name {
            guard DatabaseSchema.isIdentifier(name) else { throw .syntax(json, "named-uuid string is not a valid <id>") }
            return symbols.reference(name)
        }
        throw .syntax(json, "expected [\"uuid\", <string>]")
    }

    /// The atom as `ovs-vsctl`/`ovsdb-client` print it in tables (strings bare when they
    /// look like identifiers, else quoted).
    public var text: String {
        switch self {
        case .integer(let i): return String(i)
        case .real(let r): return JSON.real(r).description
        case .boolean(let b): return b ? "true" : "false"
        case .uuid(let u): return u.description
        case .string(let s): return Atom.quoteIfNeeded(s)
        }
    }

    /// Quotes `s` the way Open vSwitch's `ovsdb_atom_to_string` does: bare if it is a
    /// non-empty identifier-like word that would not read back as another type.
    public static func quoteIfNeeded(_ s: String) -> String {
        if !s.isEmpty, s != "true", s != "false", Atom.isBareString(s) { return s }
        return JSONSerializer.string(.string(s))
    }

    private static func isBareString(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first else { return false }
        let isAlpha = { (b: UInt8) in (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F }
        guard isAlpha(first) else { return false }
        if UUID(s) != nil { return false }
        return u.allSatisfy { isAlpha($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }
    }
}
