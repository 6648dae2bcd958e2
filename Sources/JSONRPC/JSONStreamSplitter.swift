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
        var i = scanned
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if inString {
                if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                continue
            }
            switch b {
            case 0x22:
                inString = true
            case 0x7B, 0x5B:
                if start == nil { start = i - 1 }
                open.append(b)
            case 0x7D, 0x5D:
                guard let last = open.popLast(), last == (b == 0x7D ? 0x7B : 0x5B) else { throw .mismatchedBracket }
                if open.isEmpty {
                    reset()
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

    private mutating func reset() {
        scanned = 0
        start = nil
        open.removeAll(keepingCapacity: true)
        inString = false
        escaped = false
    }
}
