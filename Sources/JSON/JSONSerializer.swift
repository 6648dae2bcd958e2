#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes JSON the way Open vSwitch does: compact by default, reals as C's `%.15g`, only the
/// characters JSON requires escaped (non-ASCII passes through as UTF-8).
public struct JSONSerializer {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Line breaks and two-space indentation, as `json_to_string(JSSF_PRETTY)`.
        public static let pretty = Options(rawValue: 1)
        /// Object members sorted by key, for stable output.
        public static let sortedKeys = Options(rawValue: 2)
    }

    public internal(set) var bytes: [UInt8] = []
    private let options: Options

    public init(options: Options = [], reservingCapacity capacity: Int = 256) {
        self.options = options
        bytes.reserveCapacity(capacity)
    }

    /// `value` as a String.
    public static func string(_ value: JSON, options: Options = []) -> String {
        var s = JSONSerializer(options: options)
        s.write(value)
        return String(decoding: s.bytes, as: UTF8.self)
    }

    /// `value` as UTF-8 bytes.
    public static func bytes(_ value: JSON, options: Options = []) -> [UInt8] {
        var s = JSONSerializer(options: options)
        s.write(value)
        return s.bytes
    }

    public mutating func write(_ value: JSON) { write(value, indent: 0) }

    private mutating func write(_ value: JSON, indent: Int) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .integer(let i): writeInteger(i)
        case .real(let r): writeReal(r)
        case .string(let s): writeString(s)
        case .array(let a): writeArray(a, indent: indent)
        case .object(let o): writeObject(o, indent: indent)
        }
    }

    mutating func append(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Open vSwitch's `indent_line()`: a new line and two spaces per level.
    private mutating func newline(_ depth: Int) {
        bytes.append(0x0A)
        for _ in 0..<(2 * depth) { bytes.append(0x20) }
    }

    // Pretty output follows `json_serialize_array()`/`json_serialize_object()`: each element
    // on its own line one level in, closing brackets straight after the last element, and an
    // empty object (not an empty array) still broken over two lines.

    private mutating func writeArray(_ a: [JSON], indent depth: Int) {
        bytes.append(UInt8(ascii: "["))
        let pretty = options.contains(.pretty)
        for (i, e) in a.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            if pretty { newline(depth + 1) }
            write(e, indent: depth + 1)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func writeObject(_ o: JSONObject, indent depth: Int) {
        bytes.append(UInt8(ascii: "{"))
        let pretty = options.contains(.pretty)
        if pretty && o.isEmpty { newline(depth + 1) }
        let members = options.contains(.sortedKeys) ? o.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) } : Array(o)
        for (i, m) in members.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            if pretty { newline(depth + 1) }
            writeString(m.key)
            bytes.append(UInt8(ascii: ":"))
            if pretty { bytes.append(0x20) }
            write(m.value, indent: depth + 1)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func writeInteger(_ value: Int64) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt64, Int) = (value.magnitude, 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buf in
            while digits.0 > 0 {
                buf[19 - digits.1] = UInt8(ascii: "0") + UInt8(digits.0 % 10)
                digits.0 /= 10
                digits.1 += 1
            }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[(20 - digits.1)...]))
        }
    }

    private mutating func writeReal(_ value: Double) {
        guard value.isFinite else {
            append("0")
            return
        }
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buf in
            let n = Int(formatReal(buf.baseAddress!, value))
            for k in 0..<min(n, 31) { bytes.append(UInt8(bitPattern: buf[k])) }
        }
    }

    public mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                switch b {
                case 0x22: append("\\\"")
                case 0x5C: append("\\\\")
                case 0x08: append("\\b")
                case 0x0C: append("\\f")
                case 0x0A: append("\\n")
                case 0x0D: append("\\r")
                case 0x09: append("\\t")
                default:
                    append("\\u00")
                    let hex: StaticString = "0123456789abcdef"
                    bytes.append(hex.utf8Start[Int(b >> 4)])
                    bytes.append(hex.utf8Start[Int(b & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// `snprintf(buf, 32, "%.15g", value)`, kept out of line because Swift's variadic C call is clumsy.
private func formatReal(_ buf: UnsafeMutablePointer<CChar>, _ value: Double) -> Int32 {
    withVaList([value]) { vsnprintf(buf, 32, "%.15g", $0) }
}

extension JSON: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { JSONSerializer.string(self) }
}
