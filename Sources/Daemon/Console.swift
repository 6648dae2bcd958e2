#if canImport(Glibc)
import Glibc
#endif

/// What Open vSwitch's command-line tools write to stderr: `ovs_fatal()`/`ovs_error()` lines
/// (`ovsdb-client: message`) and, for logged events, vlog's console lines
/// (`2024-01-31T12:34:56Z|00001|reconnect|INFO|message`).
public enum Console {
    /// The name messages begin with; a tool sets it first thing.
    public static var programName = "ovs"

    /// `ovs_fatal()`: the message on stderr, then exit status 1.
    public static func fatal(_ message: String) -> Never {
        error(message)
        exit(1)
    }

    /// `ovs_error()`: the message on stderr.
    public static func error(_ message: String) {
        fflush(stdout)
        fputs("\(programName): \(message)\n", stderr)
    }

    /// `ovs_fatal(errno, …)`: the message with the system's reason appended.
    public static func fatal(_ message: String, code: Int32) -> Never {
        fatal("\(message) (\(code == -1 ? "End of file" : String(cString: strerror(code))))")
    }

    private static var sequence = 0
    private static var lock = pthread_mutex_t()
    private static let lockReady: Bool = {
        pthread_mutex_init(&lock, nil)
        return true
    }()

    /// A vlog console line from `module` at `level` (INFO, WARN, …).
    public static func log(_ module: String, _ level: String, _ message: String) {
        _ = lockReady
        pthread_mutex_lock(&lock)
        sequence += 1
        let n = sequence
        pthread_mutex_unlock(&lock)
        let seq = String(n)
        let line = "\(utcNow())|\(String(repeating: "0", count: max(0, 5 - seq.count)))\(seq)|\(module)|\(level)|\(message)\n"
        fputs(line, stderr)
    }

    /// Counts a message logged only elsewhere (to syslog): vlog numbers messages across all
    /// destinations, so the console's next line shows the gap.
    public static func countMessageLoggedElsewhere() {
        _ = lockReady
        pthread_mutex_lock(&lock)
        sequence += 1
        pthread_mutex_unlock(&lock)
    }

    /// `%Y-%m-%dT%H:%M:%SZ` in UTC.
    private static func utcNow() -> String {
        var t = time(nil)
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec))Z"
    }

    /// Writes `bytes` to stdout.
    public static func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, stdout) }
    }

    /// Writes `text` to stdout.
    public static func write(_ text: String) { fputs(text, stdout) }

    public static func flush() { fflush(stdout) }
}
