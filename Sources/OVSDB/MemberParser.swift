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
    /// Which operation of the transaction this is (0-based), and of how many.
    let operation: Int, operationCount: Int
    private(set) var error: OVSDBError?
    /// The members read so far, by position: a bit each for the first 64 (an operation has
    /// only a few), a set for any others. Parsed objects have no duplicate keys.
    private var used: UInt64 = 0
    private var usedPast64: Set<Int> = []

    init(_ json: JSON, operation: Int, of count: Int) {
        self.json = json
        self.operation = operation
        self.operationCount = count
        if json.objectValue == nil { error = OVSDBError("syntax error", "Object expected.") }
    }

    /// Member `name` if present with the right kind; records an error otherwise.
    mutating func member(_ name: String, _ kind: Kind, optional: Bool = false) -> JSON? {
        guard case .object(let o) = json else { return nil }
        guard let i = o.firstIndex(where: { $0.key == name }) else {
            if !optional { raise("Required '\(name)' member is missing.") }
            return nil
        }
        if i < 64 { used |= 1 << i } else { usedPast64.insert(i) }
        let v = o[i].value
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
        if error == nil, case .object(let o) = json {
            for (i, m) in o.enumerated() where !(i < 64 ? used & (1 << i) != 0 : usedPast64.contains(i)) {
                raise("Member '\(m.key)' is present but not allowed here.")
                break
            }
        }
        return error.map { e in
            var e = e
            e.details = "Parsing ovsdb operation \(operation + 1) of \(operationCount) failed: " + (e.details ?? "")
            return e
        }
    }
}
