extension Datum {
    /// The datum as Open vSwitch prints it for people (`ovsdb_datum_to_string`): a scalar bare,
    /// sets as `[a, b]`, maps as `{k=v, k2=v2}`.
    public func text(_ type: ColumnType) -> String {
        let bracketed = type.max > 1 || keys.isEmpty
        var s = ""
        if bracketed { s += isMap ? "{" : "[" }
        for i in keys.indices {
            if i > 0 { s += ", " }
            s += keys[i].text
            if let values { s += "=" + values[i].text }
        }
        if bracketed { s += isMap ? "}" : "]" }
        return s
    }

    /// The datum in Open vSwitch's "bare" form (`ovsdb_datum_to_bare`, `--data=bare`): elements
    /// separated by spaces, `k=v` for maps, strings unquoted, no brackets.
    public var bareText: String {
        var s = ""
        for i in keys.indices {
            if i > 0 { s += " " }
            s += keys[i].bareText
            if let values { s += "=" + values[i].bareText }
        }
        return s
    }
}

extension Atom {
    /// The atom with strings unquoted (`ovsdb_atom_to_bare`).
    public var bareText: String {
        if case .string(let s) = self { return s }
        return text
    }
}
