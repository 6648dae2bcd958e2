import JSON

/// A column's type: a key type, an optional value type (a map), and bounds on the number of
/// elements (RFC 7047 §3.2 `<type>`). A scalar column is `min == max == 1`.
public struct ColumnType: Equatable, Sendable {
    public var key: BaseType
    public var value: BaseType?
    public var min: Int
    /// `Int.max` means "unlimited".
    public var max: Int

    public init(key: BaseType, value: BaseType? = nil, min: Int = 1, max: Int = 1) {
        self.key = key
        self.value = value
        self.min = min
        self.max = max
    }

    public var isMap: Bool { value != nil }
    public var isScalar: Bool { min == 1 && max == 1 && value == nil }

    /// A set: no value type, and not exactly one element.
    public var isSet: Bool { value == nil && !(min == 1 && max == 1) }

    /// The type in words, as Open vSwitch's messages say it ("set of up to 1 strings",
    /// "map of (string, string) pairs", "integer").
    public var english: String {
        let key = self.key.type.rawValue
        if isScalar { return key }
        var s = isMap ? "map" : "set"
        if max == .max {
            s += min > 0 ? " of \(min) or more" : " of"
        } else if min > 0 {
            s += " of \(min) to \(max)"
        } else {
            s += " of up to \(max)"
        }
        s += isMap ? " (\(key), \(value!.type.rawValue)) pairs" : " \(key)s"
        return s
    }

    /// The same type with its bounds replaced.
    public func with(min: Int? = nil, max: Int? = nil) -> ColumnType {
        var t = self
        if let min { t.min = min }
        if let max { t.max = max }
        return t
    }

    /// True when the column holds references of `refType` (keys or values).
    public func references(_ refType: BaseType.RefType) -> Bool {
        (key.refTable != nil && key.refType == refType) || (value?.refTable != nil && value?.refType == refType)
    }
}

extension ColumnType {
    public init(json: JSON) throws(OVSDBError) {
        if json.stringValue != nil {
            self.init(key: try BaseType(json: json))
            return
        }
        guard let o = json.objectValue else { throw .syntax(json, "ovsdb type expected") }
        for key in o.keys where !["key", "value", "min", "max"].contains(key) {
            throw .syntax(json, "Parsing ovsdb type failed: Member '\(key)' is present but not allowed here.")
        }
        guard let k = o["key"] else { throw .syntax(json, "Parsing ovsdb type failed: Required 'key' member is missing.") }
        let key = try BaseType(json: k)
        let value = try o["value"].map { v throws(OVSDBError) in try BaseType(json: v) }
        var min = 1, max = 1
        if let m = o["min"] {
            guard let i = m.integerValue, i >= 0, i <= 1 else { throw .syntax(json, "bad min or max value") }
            min = Int(i)
        }
        if let m = o["max"] {
            if m.stringValue == "unlimited" {
                max = .max
            } else if let i = m.integerValue, i >= 1 {
                max = Int(i)
            } else {
                throw .syntax(json, "bad min or max value")
            }
        }
        if min > max { throw .syntax(json, "ovsdb type fails constraint checks") }
        self.init(key: key, value: value, min: min, max: max)
    }

    public var json: JSON {
        if value == nil && min == 1 && max == 1 && key.isPlain { return key.json }
        var o = JSONObject()
        o.appendUnique("key", key.json)
        if let value { o.appendUnique("value", value.json) }
        if min != 1 { o.appendUnique("min", .integer(Int64(min))) }
        if max == .max { o.appendUnique("max", "unlimited") } else if max != 1 { o.appendUnique("max", .integer(Int64(max))) }
        return .object(o)
    }
}
