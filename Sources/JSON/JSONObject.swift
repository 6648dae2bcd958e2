/// The members of a JSON object, in insertion order.
///
/// Lookups are linear: OVSDB objects a server looks members up in are small (an operation, a
/// row); large ones (a table's rows in an update) are iterated, never searched. Equality ignores
/// member order, as JSON does.
public struct JSONObject: Sendable, RandomAccessCollection {
    public typealias Element = (key: String, value: JSON)

    @usableFromInline var members: [Element]

    public init() { members = [] }

    public init(_ pairs: [(String, JSON)]) {
        members = []
        members.reserveCapacity(pairs.count)
        for (k, v) in pairs { self[k] = v }
    }

    /// Builds an object from pairs known to have distinct keys, without checking.
    public init(uniqueKeysWithValues pairs: [Element]) { members = pairs }

    public init(minimumCapacity: Int) {
        members = []
        members.reserveCapacity(minimumCapacity)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { members.count }
    public subscript(position: Int) -> Element { members[position] }

    public var keys: [String] { members.map(\.key) }

    /// Member `key`; assigning nil removes it, assigning to an existing key replaces its value.
    @inlinable public subscript(key: String) -> JSON? {
        get {
            for m in members where m.key == key { return m.value }
            return nil
        }
        set {
            if let i = members.firstIndex(where: { $0.key == key }) {
                if let v = newValue { members[i].value = v } else { members.remove(at: i) }
            } else if let v = newValue {
                members.append((key, v))
            }
        }
    }

    /// Adds a member whose key the caller knows is not present yet.
    @inlinable public mutating func appendUnique(_ key: String, _ value: JSON) {
        members.append((key, value))
    }
}

extension JSONObject: Equatable {
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.count > 16 {
            var index: [String: JSON] = [:]
            for m in rhs.members { index[m.key] = m.value }
            return lhs.members.allSatisfy { index[$0.key] == $0.value }
        }
        return lhs.members.allSatisfy { rhs[$0.key] == $0.value }
    }
}

extension JSONObject: Hashable {
    /// Order-insensitive, to agree with `==`.
    public func hash(into h: inout Hasher) {
        var sum = 0
        for m in members {
            var mh = Hasher()
            mh.combine(m.key)
            mh.combine(m.value)
            sum = sum &+ mh.finalize()
        }
        h.combine(count)
        h.combine(sum)
    }
}
