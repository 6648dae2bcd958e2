import JSON

/// An atomic type with its constraints (RFC 7047 §3.2 `<base-type>`).
public struct BaseType: Equatable, Sendable {
    public enum RefType: String, Sendable { case strong, weak }

    public var type: AtomicType
    /// Allowed values, sorted; nil when any value of the type is allowed.
    public var enumeration: [Atom]?
    public var minInteger: Int64 = .min
    public var maxInteger: Int64 = .max
    public var minReal: Double = -Double.greatestFiniteMagnitude
    public var maxReal: Double = Double.greatestFiniteMagnitude
    public var minLength: Int = 0
    public var maxLength: Int = Int(UInt32.max)
    public var refTable: String?
    public var refType: RefType = .strong

    public init(_ type: AtomicType) { self.type = type }

    /// True when the type carries no constraint, so its JSON form is just the type's name.
    public var isPlain: Bool { self == BaseType(type) }

    /// A strong reference to another table: the only kind that keeps rows alive.
    public var isStrongReference: Bool { refTable != nil && refType == .strong }
}

extension BaseType {
    public init(json: JSON) throws(OVSDBError) {
        if json.stringValue != nil {
            self.init(try BaseType.atomicType(json))
            return
        }
        guard let o = json.objectValue else { throw .syntax(json, "base type must be string or object") }
        guard let typeJSON = o["type"] else {
            throw .syntax(json, "Parsing ovsdb type failed: Required 'type' member is missing.")
        }
        let t = try BaseType.atomicType(typeJSON)
        self.init(t)
        func allowed(_ key: String) -> Bool {
            if key == "type" || key == "enum" { return true }
            switch t {
            case .integer: return key == "minInteger" || key == "maxInteger"
            case .real: return key == "minReal" || key == "maxReal"
            case .boolean: return false
            case .string: return key == "minLength" || key == "maxLength"
            case .uuid: return key == "refTable" || key == "refType"
            }
        }
        for (key, _) in o where !allowed(key) {
            throw .syntax(json, "Parsing ovsdb type failed: Member '\(key)' is present but not allowed here.")
        }
        if let e = o["enum"] {
            let datum = try Datum(json: e, type: ColumnType(key: BaseType(t), min: 1, max: .max))
            enumeration = datum.keys
        }
        if let v = o["minInteger"] { minInteger = try Self.integer(v) }
        if let v = o["maxInteger"] { maxInteger = try Self.integer(v) }
        if minInteger > maxInteger { throw .syntax(json, "minInteger exceeds maxInteger") }
        if let v = o["minReal"] { minReal = try Self.real(v) }
        if let v = o["maxReal"] { maxReal = try Self.real(v) }
        if minReal > maxReal { throw .syntax(json, "minReal exceeds maxReal") }
        if let v = o["minLength"] { minLength = Int(try Self.integer(v)) }
        if let v = o["maxLength"] { maxLength = Int(try Self.integer(v)) }
        if minLength > maxLength { throw .syntax(json, "minLength exceeds maxLength") }
        if let v = o["refTable"] {
            guard let s = v.stringValue else { throw .syntax(v, "refTable must be a string") }
            refTable = s
        }
        if let v = o["refType"] {
            guard let s = v.stringValue, let r = RefType(rawValue: s) else {
                throw .syntax(json, "refType must be \"strong\" or \"weak\" (not \"\(v.stringValue ?? "")\")")
            }
            refType = r
        }
    }

    /// `ovsdb_atomic_type_from_json()`.
    private static func atomicType(_ json: JSON) throws(OVSDBError) -> AtomicType {
        guard let name = json.stringValue else { throw .syntax(json, "atomic-type expected") }
        guard let t = AtomicType(rawValue: name) else { throw .syntax(json, "\"\(name)\" is not an atomic-type") }
        return t
    }

    private static func integer(_ j: JSON) throws(OVSDBError) -> Int64 {
        guard let i = j.integerValue else { throw .syntax(j, "expected integer") }
        return i
    }

    private static func real(_ j: JSON) throws(OVSDBError) -> Double {
        guard let r = j.numberValue else { throw .syntax(j, "expected real") }
        return r
    }

    /// The RFC 7047 JSON form: the bare type name when unconstrained.
    public var json: JSON {
        if isPlain { return .string(type.rawValue) }
        var o = JSONObject()
        o.appendUnique("type", .string(type.rawValue))
        if let enumeration {
            o.appendUnique("enum", Datum(keys: enumeration).json)
        }
        if minInteger != .min { o.appendUnique("minInteger", .integer(minInteger)) }
        if maxInteger != .max { o.appendUnique("maxInteger", .integer(maxInteger)) }
        if minReal != -Double.greatestFiniteMagnitude { o.appendUnique("minReal", .real(minReal)) }
        if maxReal != Double.greatestFiniteMagnitude { o.appendUnique("maxReal", .real(maxReal)) }
        if minLength != 0 { o.appendUnique("minLength", .integer(Int64(minLength))) }
        if maxLength != Int(UInt32.max) { o.appendUnique("maxLength", .integer(Int64(maxLength))) }
        if let refTable {
            o.appendUnique("refTable", .string(refTable))
            if refType == .weak { o.appendUnique("refType", .string("weak")) }
        }
        return .object(o)
    }

    /// Checks `atom` against the constraints, with Open vSwitch's messages.
    public func check(_ atom: Atom) throws(OVSDBError) {
        if let enumeration {
            if !enumeration.contains(atom) {
                let allowed = enumeration.map(\.text).joined(separator: ", ")
                throw .constraint("\(atom.text) is not one of the allowed values ([\(allowed)])")
            }
            return
        }
        switch atom {
        case .integer(let i):
            if i >= minInteger && i <= maxInteger { return }
            if minInteger != .min && maxInteger != .max {
                throw .constraint("\(i) is not in the valid range \(minInteger) to \(maxInteger) (inclusive)")
            } else if minInteger != .min {
                throw .constraint("\(i) is less than minimum allowed value \(minInteger)")
            } else {
                throw .constraint("\(i) is greater than maximum allowed value \(maxInteger)")
            }
        case .real(let r):
            if r >= minReal && r <= maxReal { return }
            let lo = JSON.real(minReal).description, hi = JSON.real(maxReal).description, v = JSON.real(r).description
            if minReal != -Double.greatestFiniteMagnitude && maxReal != Double.greatestFiniteMagnitude {
                throw .constraint("\(v) is not in the valid range \(lo) to \(hi) (inclusive)")
            } else if minReal != -Double.greatestFiniteMagnitude {
                throw .constraint("\(v) is less than minimum allowed value \(lo)")
            } else {
                throw .constraint("\(v) is greater than maximum allowed value \(hi)")
            }
        case .string(let s):
            let n = s.unicodeScalars.count
            if n < minLength {
                throw .constraint("\"\(s)\" length \(n) is less than minimum allowed length \(minLength)")
            }
            if n > maxLength {
                throw .constraint("\"\(s)\" length \(n) is greater than maximum allowed length \(maxLength)")
            }
        case .boolean, .uuid:
            return
        }
    }
}
