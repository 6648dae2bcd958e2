#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strict RFC 8259 parser that reads UTF-8 bytes in place.
///
/// It copies only what the result must own (strings, arrays), validates UTF-8, rejects
/// NUL characters in strings as Open vSwitch does, and bounds nesting so that hostile input
/// cannot exhaust the stack.
public enum JSONParser {
    /// Deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 1000

    /// Parses exactly one JSON value, with optional surrounding white space.
    public static func parse(_ text: String) throws -> JSON {
        var text = text
        return try text.withUTF8 { bytes throws in
            try parse(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Parses exactly one JSON value from `bytes`.
    public static func parse(bytes: [UInt8]) throws -> JSON {
        try bytes.withUnsafeBytes { buffer throws in try parse(buffer) }
    }

    /// Parses exactly one JSON value from raw UTF-8 bytes.
    public static func parse(_ buffer: UnsafeRawBufferPointer) throws -> JSON {
        var reader = JSONReader(buffer)
        reader.skipWhitespace()
        if reader.atEnd { throw reader.error("empty input stream") }
        let value = try reader.parseValue()
        reader.skipWhitespace()
        if !reader.atEnd { throw reader.error("trailing garbage at end of input") }
        return value
    }
}

/// The cursor behind `JSONParser`.
struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }

    private var current: UInt8 { bytes[position] }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONParseError {
        let at = min(offset ?? position, bytes.count)
        var line = 0
        var lineStart = 0
        for i in 0..<at where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return JSONParseError(message: message, byte: at, line: line, column: at - lineStart)
    }

    mutating func parseValue() throws -> JSON {
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch current {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("syntax error at beginning of input")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard position + n <= bytes.count else { throw error("invalid keyword") }
        let w = word.utf8Start
        for i in 0..<n where bytes[position + i] != w[i] { throw error("invalid keyword") }
        position += n
        if position < bytes.count, isIdentifierByte(current) { throw error("invalid keyword") }
    }

    private func isIdentifierByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
    }

    private mutating func enter() throws {
        depth += 1
        if depth > JSONParser.maximumDepth { throw error("input exceeds maximum nesting depth \(JSONParser.maximumDepth)") }
    }

    private mutating func parseArray() throws -> JSON {
        try enter()
        position += 1
        skipWhitespace()
        if position < bytes.count, current == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array([])
        }
        var elements: [JSON] = []
        elements.reserveCapacity(4)
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                depth -= 1
                return .array(elements)
            default: throw error("syntax error expecting ']' or ','")
            }
        }
    }

    private mutating func parseObject() throws -> JSON {
        try enter()
        position += 1
        skipWhitespace()
        if position < bytes.count, current == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(JSONObject())
        }
        var members: [JSONObject.Element] = []
        members.reserveCapacity(8)
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input") }
            guard current == UInt8(ascii: "\"") else { throw error("syntax error parsing object expecting string") }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count, current == UInt8(ascii: ":") else {
                throw error("syntax error parsing object expecting ':'")
            }
            position += 1
            skipWhitespace()
            members.append((key, try parseValue()))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input") }
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return .object(JSONReader.withoutDuplicateKeys(members))
            default: throw error("syntax error expecting '}' or ','")
            }
        }
    }

    /// Members with repeated keys folded, the last value winning as in Open vSwitch.
    static func withoutDuplicateKeys(_ members: [JSONObject.Element]) -> JSONObject {
        var duplicate = false
        if members.count <= 8 {
            outer: for i in members.indices {
                for j in members.indices[(i + 1)...] where members[i].key == members[j].key {
                    duplicate = true
                    break outer
                }
            }
        } else {
            var seen = Set<String>(minimumCapacity: members.count)
            for m in members where !seen.insert(m.key).inserted {
                duplicate = true
                break
            }
        }
        guard duplicate else { return JSONObject(uniqueKeysWithValues: members) }
        var object = JSONObject()
        for m in members { object[m.key] = m.value }
        return object
    }

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws -> String {
        let start = position + 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                position = i + 1
                return try makeString(UnsafeRawBufferPointer(rebasing: bytes[start..<i]), at: start)
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { break }
            i += 1
        }
        return try parseEscapedString(from: start, plainUpTo: i)
    }

    private func makeString(_ raw: UnsafeRawBufferPointer, at offset: Int) throws -> String {
        let utf8 = raw.assumingMemoryBound(to: UInt8.self)
        guard JSONReader.isValidUTF8(utf8) else { throw error("invalid UTF-8 in string", at: offset) }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Strict UTF-8 validation (no overlongs, surrogates or code points past U+10FFFF),
    /// with a fast path for ASCII.
    static func isValidUTF8(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = s.count
        while i < n {
            let b = s[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let need: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return false
            }
            guard i + need < n else { return false }
            let c1 = s[i + 1]
            guard c1 >= lo && c1 <= hi else { return false }
            var k = 2
            while k <= need {
                guard s[i + k] & 0xC0 == 0x80 else { return false }
                k += 1
            }
            i += need + 1
        }
        return true
    }

    private mutating func parseEscapedString(from start: Int, plainUpTo plainEnd: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(plainEnd - start + 16)
        out.append(contentsOf: bytes[start..<plainEnd])
        var i = plainEnd
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                position = i + 1
                return try out.withUnsafeBytes { raw throws in try makeString(raw, at: start) }
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw error("unexpected end of input in quoted string", at: i) }
                switch bytes[i] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4(at: i + 1)
                    i += 4
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard i + 6 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"), bytes[i + 2] == UInt8(ascii: "u") else {
                            throw error("\\u\(hexString(scalar)) is a lone leading surrogate", at: i)
                        }
                        let low = try hex4(at: i + 3)
                        guard (0xDC00..<0xE000).contains(low) else {
                            throw error("\\u\(hexString(scalar)) is a leading surrogate not followed by a trailing surrogate", at: i)
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw error("\\u\(hexString(scalar)) is a lone trailing surrogate", at: i)
                    }
                    if scalar == 0 { throw error("null bytes not supported in quoted strings", at: i) }
                    appendUTF8(UInt32(scalar), to: &out)
                default:
                    throw error("bad escape \\\(Character(Unicode.Scalar(bytes[i])))", at: i)
                }
                i += 1
            default:
                if b < 0x20 {
                    throw error(b == 0 ? "null bytes not supported in quoted strings" : "U+\(hexString(Int(b))) must be escaped in quoted string", at: i)
                }
                out.append(b)
                i += 1
            }
        }
        throw error("unexpected end of input in quoted string", at: i)
    }

    private func hex4(at offset: Int) throws -> Int {
        guard offset + 4 <= bytes.count else { throw error("quoted string ends within \\u escape", at: offset) }
        var v = 0
        for k in 0..<4 {
            let c = bytes[offset + k]
            let d: Int
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = Int(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = Int(c - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = Int(c - UInt8(ascii: "A")) + 10
            default: throw error("malformed \\u escape", at: offset)
            }
            v = v << 4 | d
        }
        return v
    }

    private func hexString(_ v: Int) -> String {
        let s = String(v, radix: 16, uppercase: false)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80: out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    private mutating func parseNumber() throws -> JSON {
        let start = position
        var i = position
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < bytes.count, isDigit(bytes[i]) else { throw error("'-' must be followed by digit", at: i) }
        if bytes[i] == UInt8(ascii: "0"), i + 1 < bytes.count, isDigit(bytes[i + 1]) {
            throw error("leading zeros not allowed", at: i)
        }
        // Accumulate as a negative number so that Int64.min fits.
        var magnitude: Int64 = 0
        var overflow = false
        while i < bytes.count, isDigit(bytes[i]) {
            let d = Int64(bytes[i] - UInt8(ascii: "0"))
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(d)
            overflow = overflow || o1 || o2
            magnitude = s
            i += 1
        }
        var isReal = false
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            isReal = true
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw error("decimal point must be followed by digit", at: i) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            isReal = true
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw error("exponent must contain at least one digit", at: i) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, isIdentifierByte(bytes[i]) { throw error("invalid numeric format", at: i) }
        position = i
        if !isReal && !overflow {
            if negative { return .integer(magnitude) }
            if magnitude != .min { return .integer(-magnitude) }
        }
        return .real(strtodSlice(start, i))
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private func strtodSlice(_ start: Int, _ end: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: end - start + 1) { buf in
            for k in start..<end { buf[k - start] = CChar(bitPattern: bytes[k]) }
            buf[end - start] = 0
            return strtod(buf.baseAddress!, nil)
        }
    }
}
