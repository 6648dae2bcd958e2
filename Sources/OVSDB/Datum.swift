import JSON

/// The value of one column: a set of atoms, or a map from atoms to atoms, kept sorted by key
/// with no duplicate keys (as Open vSwitch's `struct ovsdb_datum` is).
public struct Datum: Hashable, Sendable {
    public private(set) var keys: [Atom]
    /// The map's values, parallel to `keys`; nil for a set.
    public private(set) var values: [Atom]?

    /// A set from keys already sorted and distinct.
    public init(keys: [Atom]) {
        self.keys = keys
        self.values = nil
    }

    /// A map from parallel arrays already sorted by key with distinct keys.
    public init(keys: [Atom], values: [Atom]) {
        self.keys = keys
        self.values = values
    }

    public init(atom: Atom) { self.init(keys: [atom]) }

    /// The empty set (or map, when `map` is true).
    public static func empty(map: Bool = false) -> Datum {
        map ? Datum(keys: [], values: []) : Datum(keys: [])
    }

    /// The value a column of `type` has before anything sets it: one default atom (or pair) when
    /// the type needs at least one element, else empty.
    public static func defaultValue(_ type: ColumnType) -> Datum {
        guard type.min > 0 else { return .empty(map: type.isMap) }
        let key = Atom.defaultValue(type.key.type)
        if let v = type.value { return Datum(keys: [key], values: [Atom.defaultValue(v.type)]) }
        return Datum(keys: [key])
    }

    /// True if this is `defaultValue(type)`, without building that value.
    public func isDefault(_ type: ColumnType) -> Bool {
        guard type.min > 0 else { return keys.isEmpty }
        guard keys.count == 1, keys[0] == Atom.defaultValue(type.key.type) else { return false }
        guard let v = type.value else { return true }
        return values?.first == Atom.defaultValue(v.type)
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }
    public var isMap: Bool { values != nil }

    /// The single atom of a scalar datum.
    public var first: Atom? { keys.first }

    public func contains(_ key: Atom) -> Bool { index(of: key) != nil }

    /// Binary search for `key`.
    public func index(of key: Atom) -> Int? {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else if key < keys[mid] { hi = mid } else { return mid }
        }
        return nil
    }
}

// MARK: - Building from unsorted input

extension Datum {
    /// Sorts and checks a set; duplicates are an error, as OVSDB requires.
    static func makeSet(_ atoms: [Atom]) throws(OVSDBError) -> Datum {
        if atoms.count < 2 { return Datum(keys: atoms) }
        let sorted = atoms.sorted()
        for i in sorted.indices.dropFirst() where sorted[i] == sorted[i - 1] {
            throw OVSDBError("ovsdb error", "set contains duplicate")
        }
        return Datum(keys: sorted)
    }

    /// Sorts and checks a map; duplicate keys are an error.
    static func makeMap(_ pairs: [(Atom, Atom)]) throws(OVSDBError) -> Datum {
        if pairs.count == 1 { return Datum(keys: [pairs[0].0], values: [pairs[0].1]) }
        let sorted = pairs.sorted { $0.0 < $1.0 }
        for i in sorted.indices.dropFirst() where sorted[i].0 == sorted[i - 1].0 {
            throw OVSDBError("ovsdb error", "map contains duplicate key")
        }
        return Datum(keys: sorted.map { $0.0 }, values: sorted.map { $0.1 })
    }

}

// MARK: - JSON

extension Datum {
    /// The RFC 7047 JSON form: a lone atom for a one-element set, `["set", [...]]` otherwise,
    /// `["map", [[k, v], ...]]` for maps.
    public var json: JSON {
        if let values {
            var pairs: [JSON] = []
            pairs.reserveCapacity(keys.count)
            for i in keys.indices { pairs.append(.array([keys[i].json, values[i].json])) }
            return .array([.string("map"), .array(pairs)])
        }
        if keys.count == 1 { return keys[0].json }
        return .array([.string("set"), .array(keys.map { $0.json })])
    }

    /// Reads a datum of `type` from JSON and checks every constraint but references, as
    /// Open vSwitch's `ovsdb_datum_from_json` does (and with its messages).
    public init(json: JSON, type: ColumnType, symbols: SymbolTable? = nil) throws(OVSDBError) {
        let isMap = type.isMap
        let elements: [JSON]
        if isMap || (json.arrayValue?.first?.stringValue == "set") {
            let kind = isMap ? "map" : "set"
            guard case .array(let a) = json, a.count == 2, a[0].stringValue == kind, let inner = a[1].arrayValue else {
                throw .syntax(json, "expected [\"\(kind)\", <array>]")
            }
            if inner.count < type.min || inner.count > type.max {
                if type.min == 1 && type.max == 1 {
                    throw .syntax(json, "\(kind) must have exactly one member but \(inner.count) are present")
                }
                let max = type.max == .max ? String(UInt32.max) : String(type.max)
                throw .syntax(json, "\(kind) must have \(type.min) to \(max) members but \(inner.count) are present")
            }
            elements = inner
        } else {
            elements = [json]
        }
        if let valueType = type.value {
            var pairs: [(Atom, Atom)] = []
            pairs.reserveCapacity(elements.count)
            for e in elements {
                guard case .array(let kv) = e, kv.count == 2 else { throw .syntax(e, "expected 2-element array") }
                pairs.append((try Atom(json: kv[0], type: type.key.type, symbols: symbols),
                              try Atom(json: kv[1], type: valueType.type, symbols: symbols)))
            }
            self = try Datum.makeMap(pairs)
        } else {
            var atoms: [Atom] = []
            atoms.reserveCapacity(elements.count)
            for e in elements { atoms.append(try Atom(json: e, type: type.key.type, symbols: symbols)) }
            self = try Datum.makeSet(atoms)
        }
        for k in keys { try type.key.check(k) }
        if let valueType = type.value, let values { for v in values { try valueType.check(v) } }
    }

    /// Reads a datum whose number of elements is not checked against the column (log
    /// records, whose diffs may hold more elements than the column allows).
    public init(uncheckedSizeJSON json: JSON, type: ColumnType, symbols: SymbolTable? = nil) throws(OVSDBError) {
        try self.init(json: json, type: type.with(min: 0, max: .max), symbols: symbols)
    }
}

// MARK: - Set algebra used by conditions and mutations

extension Datum {
    /// True if every element (pair, for maps) of `other` is in `self`.
    public func includes(_ other: Datum) -> Bool {
        for i in other.keys.indices {
            guard let j = index(of: other.keys[i]) else { return false }
            if let ov = other.values, values![j] != ov[i] { return false }
        }
        return true
    }

    /// True if no element (pair, for maps) of `other` is in `self`.
    public func excludes(_ other: Datum) -> Bool {
        for i in other.keys.indices {
            guard let j = index(of: other.keys[i]) else { continue }
            if let ov = other.values {
                if values![j] == ov[i] { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// Adds the elements of `other` whose keys are not present yet (a map keeps its old values).
    public mutating func insert(_ other: Datum) {
        // Inserting only keys already present leaves the arrays untouched, still shared with
        // the committed row, so that the comparisons after the mutation are instant.
        guard !other.keys.allSatisfy({ contains($0) }) else { return }
        var k: [Atom] = [], v: [Atom] = []
        k.reserveCapacity(keys.count + other.keys.count)
        var i = 0, j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                k.append(keys[i]); if let values { v.append(values[i]) }; i += 1
            } else if i == keys.count || other.keys[j] < keys[i] {
                k.append(other.keys[j]); if values != nil { v.append(other.values![j]) }; j += 1
            } else {
                k.append(keys[i]); if let values { v.append(values[i]) }; i += 1; j += 1
            }
        }
        keys = k
        if values != nil { values = v }
    }

    /// Removes elements of `other`: by key when `other` is a set, by key-and-value when it is a map.
    public mutating func delete(_ other: Datum) {
        guard !other.isEmpty, !isEmpty else { return }
        var k: [Atom] = [], v: [Atom] = []
        k.reserveCapacity(keys.count)
        for i in keys.indices {
            var drop = false
            if let j = other.index(of: keys[i]) {
                if let ov = other.values, let values { drop = ov[j] == values[i] } else { drop = true }
            }
            if !drop {
                k.append(keys[i])
                if let values { v.append(values[i]) }
            }
        }
        // As in `insert`, a no-op keeps the arrays shared.
        guard k.count < keys.count else { return }
        keys = k
        if values != nil { values = v }
    }

    /// Replaces every key with `transform(key)`, re-sorting; used by arithmetic mutations.
    /// Returns false if two keys collide.
    mutating func transformKeys(_ transform: (Atom) throws(OVSDBError) -> Atom) throws(OVSDBError) -> Bool {
        if keys.count == 1 {
            keys = [try transform(keys[0])]
            return true
        }
        var pairs: [(Atom, Atom?)] = []
        pairs.reserveCapacity(keys.count)
        for i in keys.indices { pairs.append((try transform(keys[i]), values?[i])) }
        pairs.sort { $0.0 < $1.0 }
        for i in pairs.indices.dropFirst() where pairs[i].0 == pairs[i - 1].0 { return false }
        keys = pairs.map { $0.0 }
        if values != nil { values = pairs.map { $0.1! } }
        return true
    }

    /// The diff from `self` to `new`, in the form of the OVSDB log and `update2` messages: for a
    /// column of at most one element (scalar or optional), just the new value, as
    /// `ovsdb_datum_diff()` does; for a set, the symmetric difference; for a map,
    /// removed pairs with their old value and added or changed pairs with their new value.
    public func diff(to new: Datum, type: ColumnType) -> Datum {
        if type.max == 1 { return new }
        var k: [Atom] = [], v: [Atom] = []
        var i = 0, j = 0
        while i < keys.count || j < new.keys.count {
            if j == new.keys.count || (i < keys.count && keys[i] < new.keys[j]) {
                k.append(keys[i]); if let values { v.append(values[i]) }; i += 1
            } else if i == keys.count || new.keys[j] < keys[i] {
                k.append(new.keys[j]); if let nv = new.values { v.append(nv[j]) }; j += 1
            } else {
                if let values, let nv = new.values, values[i] != nv[j] {
                    k.append(keys[i]); v.append(nv[j])
                }
                i += 1; j += 1
            }
        }
        return values == nil ? Datum(keys: k) : Datum(keys: k, values: v)
    }

    /// Applies a diff made by `diff(to:type:)`.
    public mutating func apply(diff: Datum, type: ColumnType) {
        if type.max == 1 {
            self = diff
            return
        }
        var k: [Atom] = [], v: [Atom] = []
        var i = 0, j = 0
        while i < keys.count || j < diff.keys.count {
            if j == diff.keys.count || (i < keys.count && keys[i] < diff.keys[j]) {
                k.append(keys[i]); if let values { v.append(values[i]) }; i += 1
            } else if i == keys.count || diff.keys[j] < keys[i] {
                k.append(diff.keys[j]); if let dv = diff.values { v.append(dv[j]) }; j += 1
            } else {
                if let values, let dv = diff.values, values[i] != dv[j] {
                    k.append(keys[i]); v.append(dv[j])
                }
                i += 1; j += 1
            }
        }
        keys = k
        if values != nil { values = v }
    }
}
