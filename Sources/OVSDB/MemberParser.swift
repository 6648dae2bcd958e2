import JSON

/// Reads the members of one JSON object the way Open vSwitch's `ovsdb_parser` does: the first
/// problem is kept, members never asked for are an error at `finish()`, and every message is
/// prefixed with what was being parsed ("Parsing ovsdb operation 2 of 3 failed: …").
struct MemberParser {
    enum Kind {
        case string, identifier, object, array, integer, boolean, any

        func accepts(_ j: JSON) -> Bool {
            switch (self, j) {
            case (.string, .string), (.object, .object), (.array, .array), (.integer, .integer), (.boolean, .bool), (.any, _):
                return true
            case (.identifier, .string(let s)):
                return DatabaseSchema.isIdentifier(s)
            default:
                return false
            }
        }
    }

    let json: JSON
    let context: String
    private(set) var error: OVSDBError?
    private var used = Set<String>()

    init(_ json: JSON, context: String) {
        self.json = json
        self.context = context
        if json.objectValue == nil { error = OVSDBError("syntax error", "Object expected.") }
    }

    /// Member `name` if present with the right kind; records an error otherwise.
    mutating func member(_ name: String, _ kind: Kind, optional: Bool = false) -> JSON? {
        guard let o = json.objectValue else { return nil }
        guard let v = o[name] else {
            if !optional { raise("Required '\(name)' member is missing.") }
            return nil
        }
        used.insert(name)
        guard kind.accepts(v) else {
            raise("Type mismatch for member '\(name)'.")
            return nil
        }
        return v
    }

    mutating func raise(_ details: String) {
        if error == nil { error = .syntax(json, details) }
    }

    var hasError: Bool { error != nil }

    /// The first error, prefixed, including members that were present but never read.
    mutating func finish() -> OVSDBError? {
        if error == nil, let o = json.objectValue {
            for k in o.keys where !used.contains(k) {
                raise("Member '\(k)' is present but not allowed here.")
                break
            }
        }
        return error.map { e in
            var e = e
            e.details = "Parsing \(context) failed: " + (e.details ?? "")
            return e
        }
    }
}
