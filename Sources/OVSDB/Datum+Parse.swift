#if canImport(Glibc)
import Glibc
#endif
import JSON

/// Resolves `@name` in a uuid position to the row it will name, noting how it was referenced
/// (Open vSwitch's `ovsdb_symbol_table_insert` + `ovsdb_symbol_referenced`).
public typealias SymbolResolver = (_ name: String, _ referencedAs: BaseType) -> UUID

/// The largest integer range (`1-4094`) one value may spell out.
private let maxRangeSize: Int64 = 4096

extension Atom {
    /// Parses the text form people type (`ovsdb_atom_from_string`): decimal integers, reals,
    /// `true`/`yes`/`on`/`1` and their opposites, strings bare or JSON-quoted, uuids (or
    /// `@name` when `symbols` is given), then checks `base`'s constraints. Errors are Open
    /// vSwitch's messages.
    public init(text: String, base: BaseType, symbols: SymbolResolver? = nil) throws(DatumTextError) {
        let (atom, end) = try Atom.parse(text, base: base, allowRange: false, symbols: symbols)
        assert(end == nil)
        self = atom
    }

    /// The atom and, for an integer range `A-B` when `allowRange`, its end.
    static func parse(_ s: String, base: BaseType, allowRange: Bool,
                      symbols: SymbolResolver?) throws(DatumTextError) -> (Atom, Int64?) {
        let atom: Atom
        var rangeEnd: Int64?
        switch base.type {
        case .integer:
            if allowRange, let (a, b) = Atom.integerRange(s) {
                if b < a { throw DatumTextError("\"\(s)\" is not a valid range. Range end cannot be before start.") }
                atom = .integer(a)
                rangeEnd = b
            } else if let i = Atom.integer(s) {
                atom = .integer(i)
            } else {
                throw DatumTextError("\"\(s)\" is not a valid integer or range")
            }
        case .real:
            guard let r = Atom.real(s) else { throw DatumTextError("\"\(s)\" is not a valid real number") }
            atom = .real(r == 0 ? 0 : r)
        case .boolean:
            switch s {
            case "true", "yes", "on", "1": atom = .boolean(true)
            case "false", "no", "off", "0": atom = .boolean(false)
            default: throw DatumTextError("\"\(s)\" is not a valid boolean (use \"true\" or \"false\")")
            }
        case .string:
            if s.isEmpty {
                throw DatumTextError("An empty string is not valid as input; use \"\" to represent the empty string")
            } else if s.utf8.first == UInt8(ascii: "\"") {
                guard s.utf8.count >= 2, s.utf8.last == UInt8(ascii: "\"") else {
                    throw DatumTextError("\(s): missing quote at end of quoted string")
                }
                guard case .string(let unescaped)? = try? JSONParser.parse(s) else {
                    throw DatumTextError("\(s): invalid escape in quoted string")
                }
                atom = .string(unescaped)
            } else {
                atom = .string(s)
            }
        case .uuid:
            if s.utf8.first == UInt8(ascii: "@"), let symbols {
                atom = .uuid(symbols(s, base))
            } else if let u = UUID(s) {
                atom = .uuid(u)
            } else {
                throw DatumTextError("\"\(s)\" is not a valid UUID")
            }
        }
        do throws(OVSDBError) {
            try base.check(atom)
            if let rangeEnd, case .integer(let start) = atom {
                if base.enumeration != nil {
                    var i = start + 1
                    while i <= rangeEnd { try base.check(.integer(i)); i += 1 }
                } else {
                    try base.check(.integer(rangeEnd))
                }
                if UInt64(bitPattern: rangeEnd &- start) >= UInt64(maxRangeSize) {
                    throw OVSDBError.constraint("Range \"\(start)-\(rangeEnd)\" is too big. Maximum allowed size is \(maxRangeSize).")
                }
            }
        } catch {
            throw DatumTextError(error.description)
        }
        return (atom, rangeEnd)
    }

    /// `str_to_llong`: all of `s` is one decimal integer (leading blanks and a sign allowed).
    static func integer(_ s: String) -> Int64? {
        s.withCString { p -> Int64? in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let v = strtoll(p, &end, 10)
            guard errno == 0, let end, end != UnsafeMutablePointer(mutating: p), end.pointee == 0 else { return nil }
            return Int64(v)
        }
    }

    /// `str_to_llong_range`: `A-B`.
    static func integerRange(_ s: String) -> (Int64, Int64)? {
        s.withCString { p -> (Int64, Int64)? in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let a = strtoll(p, &end, 10)
            guard errno == 0, let end, end != UnsafeMutablePointer(mutating: p), end.pointee == CChar(UInt8(ascii: "-")) else { return nil }
            guard let b = Atom.integer(String(cString: end + 1)) else { return nil }
            return (Int64(a), b)
        }
    }

    /// `str_to_double`.
    static func real(_ s: String) -> Double? {
        s.withCString { p -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            errno = 0
            let v = strtod(p, &end)
            guard let end, end != UnsafeMutablePointer(mutating: p), end.pointee == 0 else { return nil }
            if errno == EINVAL || (errno == ERANGE && v != 0) { return nil }
            return v
        }
    }
}

extension Datum {
    /// Parses the text form people type (`ovsdb_datum_from_string`): atoms (or `key=value`
    /// pairs) separated by spaces or commas, optionally in `[]` (sets) or `{}` (maps), which
    /// the empty value requires. Integer keys may be ranges (`1-10`). Checks the number of
    /// elements and rejects duplicates, with Open vSwitch's messages.
    public init(text s: String, type: ColumnType, symbols: SymbolResolver? = nil) throws(DatumTextError) {
        let isMap = type.isMap
        var scanner = TokenScanner(s)
        scanner.skipSpaces()
        let endDelimiter: UInt8?
        if scanner.peek == (isMap ? UInt8(ascii: "{") : UInt8(ascii: "[")) {
            endDelimiter = isMap ? UInt8(ascii: "}") : UInt8(ascii: "]")
            scanner.advance()
            scanner.skipSpaces()
        } else if scanner.atEnd {
            throw DatumTextError(isMap ? "use \"{}\" to specify the empty map" : "use \"[]\" to specify the empty set")
        } else {
            endDelimiter = nil
        }

        var pairs: [(Atom, Atom?)] = []
        while let c = scanner.peek, c != endDelimiter {
            if TokenScanner.isDelimiter(c) {
                throw DatumTextError("\(s): unexpected \"\(Character(Unicode.Scalar(c)))\" parsing \(type.english)")
            }
            let start = scanner.rest
            let (key, rangeEnd) = try Atom.parse(try scanner.token(), base: type.key, allowRange: true, symbols: symbols)
            var value: Atom?
            if let valueBase = type.value {
                scanner.skipSpaces()
                guard scanner.peek == UInt8(ascii: "=") else {
                    // At the end, Open vSwitch formats the NUL there and its message stops at it.
                    guard let found = scanner.peek else { throw DatumTextError("\(start): syntax error at \"") }
                    throw DatumTextError("\(start): syntax error at \"\(Character(Unicode.Scalar(found)))\" expecting \"=\"")
                }
                scanner.advance()
                scanner.skipSpaces()
                value = try Atom.parse(try scanner.token(), base: valueBase, allowRange: false, symbols: symbols).0
            }
            pairs.append((key, value))
            if let rangeEnd, case .integer(let first) = key, first < rangeEnd {
                for i in (first + 1)...rangeEnd { pairs.append((.integer(i), value)) }
            }
            scanner.skipSpaces()
            if scanner.peek == UInt8(ascii: ",") {
                scanner.advance()
                scanner.skipSpaces()
            }
        }
        if let endDelimiter {
            guard scanner.peek == endDelimiter else {
                throw DatumTextError("\(s): missing \"\(Character(Unicode.Scalar(endDelimiter)))\" at end of data")
            }
            scanner.advance()
            scanner.skipSpaces()
            if !scanner.atEnd {
                throw DatumTextError("\(s): trailing garbage after \"\(Character(Unicode.Scalar(endDelimiter)))\"")
            }
        }

        let noun = isMap ? "pair(s)" : "value(s)"
        if pairs.count < type.min {
            throw DatumTextError("\(s): \(pairs.count) \(noun) specified but the minimum number is \(type.min)")
        }
        if pairs.count > type.max {
            throw DatumTextError("\(s): \(pairs.count) \(noun) specified but the maximum number is \(type.max)")
        }
        pairs.sort { $0.0 < $1.0 }
        for i in pairs.indices.dropFirst() where pairs[i].0 == pairs[i - 1].0 {
            throw DatumTextError(isMap ? "\(s): map contains duplicate key" : "\(s): set contains duplicate value")
        }
        if isMap {
            self.init(keys: pairs.map(\.0), values: pairs.map { $0.1! })
        } else {
            self.init(keys: pairs.map(\.0))
        }
    }
}

/// A message about text that does not parse as OVSDB data, worded as Open vSwitch words it.
public struct DatumTextError: Error, CustomStringConvertible, Equatable, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Splits the text of OVSDB data into tokens (`ovsdb_token_parse`): a token runs to the next
/// delimiter (`:=, []{}!<>`) unless the delimiter is backslash-escaped or inside double quotes
/// (which stay in the token).
public struct TokenScanner {
    private let bytes: [UInt8]
    public private(set) var position = 0

    /// Text ends at a NUL, as the C strings of a command line do.
    public init(_ s: String) { bytes = Array(s.utf8.prefix { $0 != 0 }) }

    public var peek: UInt8? { position < bytes.count ? bytes[position] : nil }
    public var atEnd: Bool { position >= bytes.count }
    /// What is left, as text.
    public var rest: String { String(decoding: bytes[position...], as: UTF8.self) }

    public mutating func advance() { position += 1 }

    public mutating func skipSpaces() {
        while let c = peek, c == 0x20 || (c >= 0x09 && c <= 0x0D) { position += 1 }
    }

    public static func isDelimiter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: " "),
             UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return true
        default:
            return false
        }
    }

    /// The next token, with escapes removed.
    public mutating func token() throws(DatumTextError) -> String {
        let start = rest
        var out: [UInt8] = []
        var inQuotes = false
        while let c = peek {
            if c == UInt8(ascii: "\\") {
                if inQuotes { out.append(c) }
                advance()
                guard let escaped = peek else { throw DatumTextError("\(start): backslash at end of argument") }
                out.append(escaped)
                advance()
            } else if !inQuotes && TokenScanner.isDelimiter(c) {
                break
            } else {
                out.append(c)
                if c == UInt8(ascii: "\"") { inQuotes.toggle() }
                advance()
            }
        }
        if inQuotes { throw DatumTextError("\(start): quoted string extends past end of argument") }
        return String(decoding: out, as: UTF8.self)
    }
}
