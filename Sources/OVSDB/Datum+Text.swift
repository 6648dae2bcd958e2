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
}
