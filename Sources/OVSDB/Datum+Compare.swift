extension Datum {
    /// Open vSwitch's total order on data of one type (`ovsdb_datum_compare_3way`): fewer
    /// elements first, then key by key, then value by value. Returns -1, 0 or 1.
    public static func compare3way(_ a: Datum, _ b: Datum) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in a.keys.indices where a.keys[i] != b.keys[i] {
            return a.keys[i] < b.keys[i] ? -1 : 1
        }
        if let av = a.values, let bv = b.values {
            for i in av.indices where av[i] != bv[i] {
                return av[i] < bv[i] ? -1 : 1
            }
        }
        return 0
    }
}
