import JSON

/// An RFC 7047 error object: a fixed `error` string, human-readable `details`, and for
/// syntax errors the offending JSON (`syntax`), as Open vSwitch reports them.
public struct OVSDBError: Error, Equatable, Sendable, CustomStringConvertible {
    public var error: String
    public var details: String?
    public var syntax: JSON?
    /// For I/O errors, the system's description of the errno (`"No such file or directory"`),
    /// which Open vSwitch reports apart from the details (`"io-error"`).
    public var ioError: String?

    public init(_ error: String, _ details: String? = nil, syntax: JSON? = nil, ioError: String? = nil) {
        self.error = error
        self.details = details
        self.syntax = syntax
        self.ioError = ioError
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
        if let ioError { o.appendUnique("io-error", .string(ioError)) }
        return .object(o)
    }

    public var description: String {
        (details.map { "\(error): \($0)" } ?? error) + (ioError.map { " (\($0))" } ?? "")
    }

    /// The error as Open vSwitch's `ovsdb_error_to_string()` writes it for people, which is what
    /// its tools print before exiting: `syntax "<json>": <error>: <details> (<io-error>)`.
    public var text: String {
        (syntax.map { "syntax \"\(JSONSerializer.string($0, options: .sortedKeys))\": " } ?? "") + description
    }

    /// The same error with `prefix` put before its details.
    public func prefixed(_ prefix: String) -> OVSDBError {
        var e = self
        e.details = prefix + (details ?? "")
        return e
    }
}
