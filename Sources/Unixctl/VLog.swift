import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Open vSwitch-style logging: per-module levels for each destination (console, syslog,
/// file), lines formatted as OVS writes them (`2026-11-25T06:11:20.885Z|00007|ovsdb_server|INFO|…`),
/// changed at run time with `vlog/set` and reopened with `vlog/reopen` after log rotation.
public final class VLog: @unchecked Sendable {
    public enum Level: Int, Comparable, CaseIterable, Sendable {
        case off, emer, err, warn, info, dbg

        public init?(name: String) {
            switch name.lowercased() {
            case "off": self = .off
            case "emer": self = .emer
            case "err": self = .err
            case "warn": self = .warn
            case "info": self = .info
            case "dbg", "debug": self = .dbg
            default: return nil
            }
        }

        public var name: String { ["OFF", "EMER", "ERR", "WARN", "INFO", "DBG"][rawValue] }
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public enum Destination: Int, CaseIterable, Sendable {
        case console, syslog, file
        public var name: String { ["console", "syslog", "file"][rawValue] }
    }

    public static let shared = VLog()

    private let lock = PThreadMutex()
    private var levels: [String: [Level]] = [:]
    /// Each registered module's position in `maximums`.
    private var slots: [String: Int] = [:]
    /// The most detailed level any destination takes from each module, kept up to date by
    /// `set`, so that the check before every message is an array read.
    private var maximums: [Level] = []
    private var defaults: [Level] = [.info, .info, .info]
    private var sequence = 0
    private var logFile: UnsafeMutablePointer<FILE>?
    public private(set) var logFilePath: String?

    /// Makes `module` known (so `vlog/list` shows it) and returns the slot to ask
    /// `maximumLevel` about.
    @discardableResult
    public func register(_ module: String) -> Int {
        lock.withLock {
            if let slot = slots[module] { return slot }
            levels[module] = defaults
            slots[module] = maximums.count
            maximums.append(defaults.max() ?? .off)
            return maximums.count - 1
        }
    }

    /// Sets where file logging goes; nil closes it.
    public func setLogFile(_ path: String?) throws {
        try lock.withLock {
            if let f = logFile { fclose(f) }
            logFile = nil
            logFilePath = path
            if let path {
                guard let f = fopen(path, "a") else { throw VLogError(message: "\(path): could not open log file (\(String(cString: strerror(errno))))") }
                setvbuf(f, nil, _IOLBF, 0)
                logFile = f
            }
        }
    }

    /// Reopens the log file, for log rotation.
    public func reopen() throws { try setLogFile(logFilePath) }

    /// Applies one `vlog/set` word list: `[module][:destination][:level]`, `ANY` for all.
    public func set(_ spec: String) throws {
        var module: String?
        var destination: Destination?
        var level: Level?
        for word in spec.split(separator: ":").map(String.init) {
            if let l = Level(name: word) { level = l } else if let d = Destination.allCases.first(where: { $0.name == word.lowercased() }) {
                destination = d
            } else if word.lowercased() == "any" {
                continue
            } else if lock.withLock({ levels[word] != nil }) {
                module = word
            } else {
                throw VLogError(message: "no destination, level, or module \"\(word)\"")
            }
        }
        let l = level ?? .dbg
        lock.withLock {
            let modules = module.map { [$0] } ?? Array(levels.keys)
            for m in modules {
                for d in Destination.allCases where destination == nil || destination == d { levels[m]![d.rawValue] = l }
            }
            if module == nil { for d in Destination.allCases where destination == nil || destination == d { defaults[d.rawValue] = l } }
            for (m, slot) in slots { maximums[slot] = levels[m]!.max() ?? .off }
        }
    }

    /// The `vlog/list` table.
    public var listing: String {
        lock.withLock {
            var s = "                 console    syslog    file\n                 -------    ------    ------\n"
            for m in levels.keys.sorted() {
                let l = levels[m]!
                s += m.padding(toLength: 16) + "  " + pad4(l[0].name) + "       " + pad4(l[1].name) + "       " + pad4(l[2].name) + "\n"
            }
            return s
        }
    }

    private func pad4(_ s: String) -> String { String(repeating: " ", count: max(0, 4 - s.count)) + s }

    /// The most detailed level any destination takes from `module`, so that callers can skip
    /// building messages nobody will see.
    public func maximumLevel(_ slot: Int) -> Level {
        lock.withLock { maximums[slot] }
    }

    /// Writes `message` for `module` at `level` to every destination that wants it.
    public func log(_ module: String, _ level: Level, _ message: String) {
        lock.withLock {
            let l = levels[module] ?? defaults
            guard l.contains(where: { level <= $0 && $0 != .off }) else { return }
            sequence += 1
            let seq = String(sequence)
            let n = String(repeating: "0", count: max(0, 5 - seq.count)) + seq
            let line = "\(VLog.timestamp())|\(n)|\(module)|\(level.name)|\(message)\n"
            if level <= l[Destination.console.rawValue] && l[Destination.console.rawValue] != .off { fputs(line, stderr) }
            if let f = logFile, level <= l[Destination.file.rawValue] && l[Destination.file.rawValue] != .off { fputs(line, f) }
        }
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 32)
        strftime(&buf, 32, "%Y-%m-%dT%H:%M:%S", &tmv)
        let ms = Int(ts.tv_nsec) / 1_000_000
        let msText = String(ms)
        return String(cString: buf) + "." + String(repeating: "0", count: 3 - msText.count) + msText + "Z"
    }

    /// Registers `vlog/set`, `vlog/list`, `vlog/reopen` and `vlog/close` on a control socket.
    public func registerCommands(_ server: UnixctlServer) {
        server.register("vlog/set", usage: "{spec | PATTERN:destination:pattern}", min: 0, max: Int.max) { args in
            for a in args { try self.set(a) }
            return ""
        }
        server.register("vlog/list", usage: "", min: 0, max: 0) { _ in self.listing }
        server.register("vlog/reopen", usage: "", min: 0, max: 0) { _ in
            try self.reopen()
            return ""
        }
        server.register("vlog/close", usage: "", min: 0, max: 0) { _ in
            try self.setLogFile(nil)
            return ""
        }
    }
}

public struct VLogError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A tiny mutex (pthread), so logging needs no NIO types.
final class PThreadMutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

/// Routes swift-log through VLog: the logger's label is the OVS module name.
public struct VLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    /// Follows `vlog/set`, so swift-log does not even build messages that no destination takes.
    public var logLevel: Logger.Level {
        get {
            switch VLog.shared.maximumLevel(slot) {
            case .dbg: return .trace
            case .info: return .info
            case .warn: return .warning
            case .err: return .error
            case .emer, .off: return .critical
            }
        }
        set {}
    }
    let module: String
    let slot: Int

    public init(label: String) {
        module = label
        slot = VLog.shared.register(label)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let l: VLog.Level
        switch level {
        case .trace, .debug: l = .dbg
        case .info, .notice: l = .info
        case .warning: l = .warn
        case .error: l = .err
        case .critical: l = .emer
        }
        VLog.shared.log(module, l, message.description)
    }
}
