import OVSDB

/// How people may abbreviate table and column names (`score_partial_match`): exact match
/// wins, then a case-insensitive match that treats `-` as `_`, then the longest unique prefix.
enum NameMatching {
    static func score(_ name: String, _ s: String) -> UInt {
        if name == s { return .max }
        let n = Array(name.utf8), u = Array(s.utf8)
        var i = 0
        while true {
            let a: UInt8 = i < n.count ? normalize(n[i]) : 0
            let b: UInt8 = i < u.count ? normalize(u[i]) : 0
            if a != b { break }
            if a == 0 { return .max - 1 }
            i += 1
        }
        return i == u.count ? UInt(i) : 0
    }

    private static func normalize(_ c: UInt8) -> UInt8 {
        if c == UInt8(ascii: "-") { return UInt8(ascii: "_") }
        if c >= 0x41 && c <= 0x5A { return c + 0x20 }
        return c
    }

    /// The one best match for `s` among `names`, or the names tied for best.
    static func best(_ s: String, among names: [String]) -> (match: String?, ties: [String]) {
        var bestScore: UInt = 0
        var matches: [String] = []
        for name in names {
            let sc = score(name, s)
            if sc > 0 && sc >= bestScore {
                if sc > bestScore { matches = [] }
                matches.append(name)
                bestScore = sc
            }
        }
        return (matches.count == 1 ? matches[0] : nil, matches.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }))
    }

    /// `get_table`.
    static func table(_ s: String, in schema: DatabaseSchema) throws -> TableSchema {
        let (match, ties) = best(s, among: schema.tables.map(\.name))
        if let match { return schema.table(match)! }
        if ties.isEmpty { throw VsctlError.fatal("unknown table \"\(s)\"") }
        throw VsctlError.fatal("\"\(s)\" matches multiple table names: \(ties.joined(separator: ", "))")
    }

    /// `get_column`.
    static func column(_ s: String, in table: TableSchema) throws -> ColumnSchema {
        let (match, ties) = best(s, among: table.columns.map(\.name))
        if let match { return table.column(match)! }
        if ties.isEmpty {
            throw VsctlError.fatal("\(table.name) does not contain a column whose name matches \"\(s)\"")
        }
        throw VsctlError.fatal("\(table.name) contains more than one column whose name matches \"\(s)\": \(ties.joined(separator: ", "))")
    }
}

extension TableSchema {
    /// The columns in the order ovs-vsctl lists them: by name.
    var sortedColumns: [ColumnSchema] {
        columns.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// A table limited to one row, whose row may be named `.`.
    var isSingleton: Bool { maxRows == 1 }
}
