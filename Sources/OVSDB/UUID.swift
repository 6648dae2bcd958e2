#if canImport(Glibc)
import Glibc
#endif

/// A 128-bit OVSDB uuid, ordered as Open vSwitch orders them (which is also the order of their
/// text forms).
public struct UUID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The all-zero uuid, which OVSDB uses as the default of a uuid column.
    public static let zero = UUID(high: 0, low: 0)

    /// A random version-4 uuid, from a generator seeded once from the system's entropy (as
    /// Open vSwitch's uuid module does), so that making one costs no system call.
    public static func random() -> UUID {
        UUIDSource.shared.next()
    }

    public static func random<G: RandomNumberGenerator>(using g: inout G) -> UUID {
        let h = (g.next() & ~0xF000) | 0x4000
        let l = (g.next() & ~(0xC000_0000_0000_0000 as UInt64)) | 0x8000_0000_0000_0000
        return UUID(high: h, low: l)
    }

    /// Parses the canonical 36-character form (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`), any case.
    public init?(_ text: String) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        var ok = true
        var count = 0
        for b in text.utf8 {
            defer { count += 1 }
            if count == 8 || count == 13 || count == 18 || count == 23 {
                if b != UInt8(ascii: "-") { ok = false }
                continue
            }
            let v: UInt64
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt64(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = UInt64(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = UInt64(b - UInt8(ascii: "A") + 10)
            default: ok = false; v = 0
            }
            if digits < 16 { high = high << 4 | v } else { low = low << 4 | v }
            digits += 1
        }
        guard ok, count == 36, digits == 32 else { return nil }
        self.init(high: high, low: low)
    }

    public var description: String { withText { String(decoding: $0, as: UTF8.self) } }

    /// Calls `body` with the 36 bytes of the canonical text form, without making a String.
    public func withText<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { out in
            let hex: StaticString = "0123456789abcdef"
            var pos = 0
            for nibble in 0..<32 {
                if pos == 8 || pos == 13 || pos == 18 || pos == 23 {
                    out[pos] = UInt8(ascii: "-")
                    pos += 1
                }
                let word = nibble < 16 ? high : low
                let shift = UInt64(60 - 4 * (nibble % 16))
                out[pos] = hex.utf8Start[Int((word >> shift) & 0xF)]
                pos += 1
            }
            return body(UnsafeBufferPointer(out))
        }
    }

    public static func < (a: UUID, b: UUID) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// xoshiro256** seeded from the system's random source, behind a mutex so that any thread may
/// draw from it.
final class UUIDSource: @unchecked Sendable {
    static let shared = UUIDSource()

    private var state: (UInt64, UInt64, UInt64, UInt64)
    private var mutex = pthread_mutex_t()

    private init() {
        var g = SystemRandomNumberGenerator()
        state = (g.next(), g.next(), g.next(), g.next() | 1)
        pthread_mutex_init(&mutex, nil)
    }

    private func nextWord() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    func next() -> UUID {
        pthread_mutex_lock(&mutex)
        let h = nextWord(), l = nextWord()
        pthread_mutex_unlock(&mutex)
        return UUID(high: (h & ~0xF000) | 0x4000, low: (l & ~(0xC000_0000_0000_0000 as UInt64)) | 0x8000_0000_0000_0000)
    }
}
