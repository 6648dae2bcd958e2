extension JSONParser {
    /// Parses a JSON text that Open vSwitch's `json_from_string()` and `json_from_file()`
    /// would accept: an object or an array. A lone scalar is rejected with Open vSwitch's
    /// "syntax error at beginning of input", at the position its lexer reports it (the end of
    /// the scalar's token, or a string's closing quote).
    public static func parseContainer(bytes: [UInt8]) throws -> JSON {
        let json = try parse(bytes: bytes)
        switch json {
        case .array, .object: return json
        default: break
        }
        let isSpace = { (b: UInt8) in b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        var i = bytes.firstIndex { !isSpace($0) } ?? bytes.count
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
            i += 1
            while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
        } else {
            while i < bytes.count, !isSpace(bytes[i]), !Array("[]{}:,\"".utf8).contains(bytes[i]) { i += 1 }
        }
        i = min(i, bytes.count)
        let lineStart = bytes[..<i].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let line = bytes[..<i].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        throw JSONParseError(message: "syntax error at beginning of input", byte: i, line: line, column: i - lineStart)
    }

    /// `parseContainer(bytes:)` for a string's UTF-8.
    public static func parseContainer(_ text: String) throws -> JSON {
        try parseContainer(bytes: Array(text.utf8))
    }
}
