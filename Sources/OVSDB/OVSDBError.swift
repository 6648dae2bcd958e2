import JSON

/// An RFC 7047 error object: a fixed `error` string, human-readable `details`, and for
/// syntax errors the offending JSON (`syntax`), as Open vSwitch reports them.
public struct OVSDBError: Error, Equatable, Sendable, CustomStringConvertible {
    public var error: String
    public var details: String?
    public var syntax: JSON?

    public init(_ error: String, _ details: String? = nil, syntax: JSON? = nil) {
        self.error = error
        self.details = details
        self.syntax = syntax
    }

    /// A "syntax error" about `json`.
    public static func syntax(_ json: JSON?, _ details: String) -> OVSDBError {
        OVSDBError("syntax error", details, syntax: json)
    }

    public static func constraint(_ details: String) -> OVSDBError { OVSDBError("constraint violation", details) }
    public static func referentialIntegrity(_ details: String) -> OVSDBError {
        OVSDBError("referential integrity violation", details)
    }

    /// The error object as it appears in a transaction's result array.
    public var json: JSON {
        var o = JSONObject()
        if let syntax { o.appendUnique("syntax", .string(JSONSerializer.string(syntax, options: .sortedKeys))) }
        if let details { o.appendUnique("details", .string(details)) }
        o.appendUnique("error", .string(error))
        return .object(o)
    }

    public var description: String { details.map { "\(error): \($0)" } ?? error }

    /// The same error with `prefix` put before its details.
    public func prefixed(_ prefix: String) -> OVSDBError {
        var e = self
        e.details = prefix + (details ?? "")
        return e
    }
}
