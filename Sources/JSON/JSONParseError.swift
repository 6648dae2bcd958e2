/// Why a text is not JSON, and where, in Open vSwitch's wording
/// ("line 0, column 5, byte 5: syntax error expecting ']' or ','").
public struct JSONParseError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    /// Zero-based byte offset of the problem.
    public var byte: Int
    /// Zero-based line and column of the problem.
    public var line: Int
    public var column: Int

    public init(message: String, byte: Int, line: Int, column: Int) {
        self.message = message
        self.byte = byte
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column), byte \(byte): \(message)" }
}
