import Daemon
#if canImport(Glibc)
import Glibc
#endif

/// ovs-vsctl's vlog: per-module levels for the console (default WARN) and syslog (default
/// INFO), set with `-v`/`--verbose=SPEC` and `--no-syslog`. A message goes to each destination
/// whose level admits it, numbered once in vlog's sequence.
enum VsctlLog {
    enum Level: Int, Comparable {
        case off, emer, err, warn, info, dbg
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        static let names = ["off", "emer", "err", "warn", "info", "dbg"]
        init?(_ s: String) {
            guard let i = Level.names.firstIndex(of: s.lowercased()) else { return nil }
            self.init(rawValue: i)
        }
        var name: String { Level.names[rawValue].uppercased() }
    }

    /// The modules an Open vSwitch tool knows, which `-v` may name.
    static let modules: Set<String> = [
        "vsctl", "db_ctl_base", "backtrace", "bundle", "command_line", "coverage", "daemon", "daemon_unix",
        "dns_resolve", "entropy", "fatal_signal", "flow", "hmap", "jsonrpc", "lockfile", "memory", "netlink",
        "netlink_socket", "ovs_rcu", "ovs_replay", "ovs_thread", "ovsdb_cs", "ovsdb_error", "ovsdb_idl",
        "poll_loop", "process", "reconnect", "sha1", "signals", "socket_util", "socket_util_unix", "stream",
        "stream_fd", "stream_replay", "stream_ssl", "stream_tcp", "stream_unix", "svec", "timeval", "unixctl",
        "util", "uuid", "vlog",
    ]

    private static var console: [String: Level] = [:]
    private static var syslog: [String: Level] = [:]
    private static var consoleDefault = Level.warn
    private static var syslogDefault = Level.info

    /// `-v` alone: everything at DBG everywhere.
    static func setMaximum() {
        console = [:]; syslog = [:]
        consoleDefault = .dbg; syslogDefault = .dbg
    }

    /// `-v SPEC`: words separated by `:` naming a module, a destination and a level, any
    /// missing one meaning all.
    static func set(_ spec: String) throws {
        var module: String?, destination: String?, level: Level?
        for word in spec.split(separator: ":").map(String.init) {
            if let l = Level(word) {
                level = l
            } else if ["console", "syslog", "file"].contains(word.lowercased()) {
                destination = word.lowercased()
            } else if word.lowercased() == "any" {
                continue
            } else if modules.contains(word) {
                module = word
            } else {
                throw VsctlError.fatal("processing \"\(spec)\": no destination, level, or module \"\(word)\"")
            }
        }
        let l = level ?? .dbg
        let targets = module.map { [$0] } ?? Array(modules)
        for m in targets {
            if destination == nil || destination == "console" { console[m] = l }
            if destination == nil || destination == "syslog" { syslog[m] = l }
        }
        if module == nil {
            if destination == nil || destination == "console" { consoleDefault = l }
            if destination == nil || destination == "syslog" { syslogDefault = l }
        }
    }

    /// `--no-syslog`: vsctl's own messages go to syslog only at WARN and above.
    static func quietSyslog() { syslog["vsctl"] = .warn }

    /// A warning from ovs-vsctl's own module.
    static func warn(_ message: String) { log("vsctl", .warn, message) }

    static func log(_ module: String, _ level: Level, _ message: String) {
        let toConsole = level <= (console[module] ?? consoleDefault)
        let toSyslog = level <= (syslog[module] ?? syslogDefault)
        if toConsole {
            Console.log(module, level.name, message)
        } else if toSyslog {
            Console.countMessageLoggedElsewhere()
        }
        if toSyslog {
            openlog("ovs-vsctl", LOG_NDELAY, LOG_DAEMON)
            let line = "\(module)|\(level.name)|\(message)"
            line.withCString { text in withVaList([text]) { vsyslog(level <= .err ? LOG_ERR : level == .warn ? LOG_WARNING : LOG_INFO, "%s", $0) } }
            closelog()
        }
    }
}
