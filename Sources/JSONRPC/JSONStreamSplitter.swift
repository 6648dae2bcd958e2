/// Finds where each top-level JSON object or array ends in a byte stream, without parsing it,
/// so that a connection can hand whole messages to the parser. It keeps its place between
/// chunks, so every byte is scanned once.
public struct JSONStreamSplitter: Sendable {
    public enum ScanError: Error, CustomStringConvertible {
        case notAnObject
        case mismatchedBracket
        case tooLarge(Int)

        public var description: String {
            switch self {
            case .notAnObject: return "syntax error at beginning of input (JSON-RPC messages must be objects)"
            case .mismatchedBracket: return "syntax error: mismatched brackets"
            case .tooLarge(let n): return "message exceeds \(n) bytes"
            }
        }
    }

    /// Largest message accepted; a peer that sends more is cut off, so memory stays bounded.
    public let maximumLength: Int
    private var scanned = 0
    private var start: Int?
    /// The open brackets, innermost last.
    private var open: [UInt8] = []
    private var inString = false
    private var escaped = false

    public init(maximumLength: Int = 128 << 20) { self.maximumLength = maximumLength }

    /// Scans `bytes` (everything not yet consumed) and returns the length of the prefix that
    /// holds the next whole message (leading white space included), or nil if more is needed.
    public mutating func nextMessageLength(_ bytes: UnsafeRawBufferPointer) throws(ScanError) -> Int? {
        // The scan works on locals (the bracket stack moved out of `self` so that pushing
        // does not copy it) and stores them back when it stops.
        var open = self.open
        self.open = []
        var inString = self.inString, escaped = self.escaped, start = self.start
        defer {
            self.open = open
            self.inString = inString
            self.escaped = escaped
            self.start = start
        }
        let count = bytes.count
        var i = scanned
        while i < count {
            if inString {
                // Most of a message is string contents: skip to the next quote or backslash.
                if escaped {
                    escaped = false
                    i += 1
                    continue
                }
                while i < count {
                    let b = bytes[i]
                    i += 1
                    if b == 0x22 {
                        inString = false
                        break
                    }
                    if b == 0x5C {
                        escaped = true
                        break
                    }
                }
                continue
            }
            let b = bytes[i]
            i += 1
            switch b {
            case 0x22:
                inString = true
            case 0x7B, 0x5B:
                if start == nil { start = i - 1 }
                open.append(b)
            case 0x7D, 0x5D:
                guard let last = open.popLast(), last == (b == 0x7D ? 0x7B : 0x5B) else { throw .mismatchedBracket }
                if open.isEmpty {
                    scanned = 0
                    start = nil
                    inString = false
                    escaped = false
                    return i
                }
            case 0x20, 0x09, 0x0A, 0x0D:
                break
            default:
                if start == nil { throw .notAnObject }
            }
            if start == nil && inString { throw .notAnObject }
        }
        scanned = i
        if i > maximumLength { throw .tooLarge(maximumLength) }
        return nil
    }
}
