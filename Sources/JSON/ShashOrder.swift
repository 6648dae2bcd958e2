/// The order in which Open vSwitch's `SHASH_FOR_EACH` visits a `struct shash` (a string-keyed
/// `struct hmap`), which is where OVS tools' output order comes from whenever they do not sort:
/// `ovsdb-client list-tables`, the rows of a `monitor` update, the members of an unsorted
/// `json_to_string()` such as a database file record.
///
/// The order is a pure function of the keys and the order they were inserted (and removed), so
/// it can be reproduced exactly: `hash_string()` is MurmurHash3's mixing over 32-bit words
/// (the portable build Debian ships; not the SSE4.2 CRC32 variant), buckets are visited in
/// index order, each bucket's chain newest-first, and the table doubles (re-inserting the old
/// buckets in order) once it holds more than two nodes per bucket.
public struct ShashOrder: Sendable {
    private var buckets: [[(key: String, hash: UInt32)]] = [[]]
    private var mask = 0
    public private(set) var count = 0

    public init() {}

    /// The order after inserting `keys`, in that order, into an empty shash.
    public init<S: Sequence>(_ keys: S) where S.Element == String {
        for k in keys { insert(k) }
    }

    /// Adds `key` (`shash_add`); the caller ensures it is not present yet.
    public mutating func insert(_ key: String) {
        insertFast(key, ShashOrder.hashString(key))
        if count / 2 > mask {
            let newMask = ShashOrder.calcMask(count)
            if newMask > mask { resize(newMask) }
        }
    }

    /// Removes `key` (`shash_delete`); the table never shrinks on removal.
    public mutating func remove(_ key: String) {
        let b = Int(ShashOrder.hashString(key)) & mask
        if let i = buckets[b].firstIndex(where: { $0.key == key }) {
            buckets[b].remove(at: i)
            count -= 1
        }
    }

    /// The keys in `SHASH_FOR_EACH` order.
    public var keys: [String] { buckets.flatMap { $0.map(\.key) } }

    private mutating func insertFast(_ key: String, _ hash: UInt32) {
        buckets[Int(hash) & mask].insert((key, hash), at: 0)
        count += 1
    }

    private mutating func resize(_ newMask: Int) {
        let old = buckets
        buckets = Array(repeating: [], count: newMask + 1)
        mask = newMask
        count = 0
        for chain in old {
            for node in chain { insertFast(node.key, node.hash) }
        }
    }

    /// `calc_mask()`: the bucket mask for `capacity` nodes, at least 4 buckets once allocated.
    private static func calcMask(_ capacity: Int) -> Int {
        var m = capacity / 2
        m |= m >> 1
        m |= m >> 2
        m |= m >> 4
        m |= m >> 8
        m |= m >> 16
        m |= m >> 32
        m |= (m & 1) << 1
        return m
    }

    /// Open vSwitch's `hash_string(s, basis)`.
    public static func hashString(_ s: String, basis: UInt32 = 0) -> UInt32 {
        var hash = basis
        var word: UInt32 = 0
        var shift: UInt32 = 0
        var n: UInt32 = 0
        for byte in s.utf8 {
            word |= UInt32(byte) << shift
            shift += 8
            n += 1
            if shift == 32 {
                hash = mhashAdd(hash, word)
                word = 0
                shift = 0
            }
        }
        if shift > 0 { hash = mhashAdd(hash, word) }
        return mhashFinish(hash ^ n)
    }

    private static func rotate(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }

    private static func mhashAdd(_ hash: UInt32, _ data: UInt32) -> UInt32 {
        var h = hash
        if data != 0 {
            var d = data &* 0xcc9e_2d51
            d = rotate(d, 15)
            d = d &* 0x1b87_3593
            h ^= d
        }
        h = rotate(h, 13)
        return h &* 5 &+ 0xe654_6b64
    }

    private static func mhashFinish(_ hash: UInt32) -> UInt32 {
        var h = hash
        h ^= h >> 16
        h = h &* 0x85eb_ca6b
        h ^= h >> 13
        h = h &* 0xc2b2_ae35
        h ^= h >> 16
        return h
    }
}

extension JSONObject {
    /// The members in the order Open vSwitch iterates them once it has put them into a
    /// `struct json` object in this object's order (as its parser does with what it reads).
    public var inShashOrder: JSONObject {
        let order = ShashOrder(keys).keys
        var out = JSONObject(minimumCapacity: count)
        for k in order { out.appendUnique(k, self[k]!) }
        return out
    }
}

extension JSON {
    /// This value with every object's members (at any depth) in Open vSwitch's iteration
    /// order, so that serializing it without sorting gives what an unsorted
    /// `json_to_string()` of the same value, built in the same order, gives.
    public var inShashOrder: JSON {
        switch self {
        case .array(let a): return .array(a.map(\.inShashOrder))
        case .object(let o):
            var out = JSONObject(minimumCapacity: o.count)
            for (k, v) in o.inShashOrder { out.appendUnique(k, v.inShashOrder) }
            return .object(out)
        default: return self
        }
    }
}
