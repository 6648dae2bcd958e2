#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an operation on a `BlockingStream` failed: the target, what was being done, and the
/// system error, in Open vSwitch's words (`unix:/x/sock: connection failed (No such file or
/// directory)`). Tools put their own lead-in before `reason`, as OVS's do ("database
/// connection failed", "failed to connect to \"unix:/x\"").
public struct StreamError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Operation: String, Sendable {
        case connect = "connection"
        case receive
        case send
    }

    /// `errno`-style code for "the peer closed the connection", as OVS's `EOF`.
    public static let endOfFile: Int32 = -1

    public var target: StreamTarget
    public var operation: Operation
    /// An `errno` value, `StreamError.endOfFile`, or `ETIMEDOUT` when a deadline passed.
    public var code: Int32

    public init(target: StreamTarget, operation: Operation, code: Int32) {
        self.target = target
        self.operation = operation
        self.code = code
    }

    /// The system's text for `code` (`ovs_strerror()`), "End of file" for `endOfFile`.
    public var reason: String { StreamError.reason(code) }

    public var description: String { "\(target): \(operation.rawValue) failed (\(reason))" }

    public var isEndOfFile: Bool { code == StreamError.endOfFile }
    public var isTimeout: Bool { code == ETIMEDOUT }

    /// `ovs_strerror()`: strerror, plus "End of file" for `EOF`.
    public static func reason(_ code: Int32) -> String {
        code == endOfFile ? "End of file" : String(cString: strerror(code))
    }
}
