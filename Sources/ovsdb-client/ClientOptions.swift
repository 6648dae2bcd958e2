import Daemon
import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// The command line's options, parsed in Open vSwitch's getopt_long style: options may come
/// anywhere among the arguments, long names may be abbreviated, `--` ends them.
///
/// swift-argument-parser is not used here: ovsdb-client's grammar is OVS's (the server and
/// database arguments are optional and recognised by their shape, errors are worded by
/// getopt), and scripts depend on it exactly.
struct ClientOptions {
    var style = TableStyle(format: .table)
    /// `--timestamp`: print the time before each table `monitor` prints.
    var timestamp = false
    /// `--force`: `restore` despite a schema that differs.
    var force = false
    /// `--timeout=SECS`, or `$OVS_CTL_TIMEOUT`.
    var timeout: UInt32 = 0
    /// `--db-change-aware` (1), `--no-db-change-aware` (0), or use it if available (-1).
    var dbChangeAware = -1
    /// `--leader-only`/`--no-leader-only` (only matters for clustered databases).
    var leaderOnly = true
    /// The command and its arguments.
    var arguments: [String] = []

    /// In Open vSwitch's order, which getopt's "ambiguous" message follows.
    private static let parser = OptionParser([
        .init("help", short: "h"),
        .init("version", short: "V"),
        .init("timestamp"),
        .init("force"),
        .init("timeout", .required, short: "t"),
        .init("db-change-aware"),
        .init("no-db-change-aware"),
        .init("leader-only"),
        .init("no-leader-only"),
        // Logging (accepted; the console shows INFO and above, as by default).
        .init("verbose", .optional, short: "v"),
        .init("log-file", .optional),
        .init("syslog-method", .required),
        .init("syslog-target", .required),
        // Daemon options (accepted; ovsdb-client always runs in the foreground).
        .init("detach"),
        .init("no-self-confinement"),
        .init("no-chdir"),
        .init("pidfile", .optional),
        .init("overwrite-pidfile"),
        .init("monitor"),
        .init("user", .required),
        // SSL (ssl: remotes are not supported; the options are accepted).
        .init("bootstrap-ca-cert", .required),
        .init("private-key", .required, short: "p"),
        .init("certificate", .required, short: "c"),
        .init("ca-cert", .required, short: "C"),
        .init("ssl-protocols", .required),
        .init("ssl-ciphers", .required),
        // Table formatting.
        .init("format", .required, short: "f"),
        .init("data", .required, short: "d"),
        .init("no-headings"),
        .init("pretty"),
        .init("bare"),
        .init("max-column-width", .required),
        // Replay.
        .init("record", .optional),
        .init("replay", .optional),
    ])

    /// Parses `args` (without the program name); bad options end the program as OVS's do.
    static func parse(_ args: [String]) -> ClientOptions {
        var o = ClientOptions()
        let parsed: (options: [(String, String?)], arguments: [String])
        do {
            parsed = try parser.parse(args)
        } catch {
            // getopt names the program as it was invoked.
            fputs("\(CommandLine.arguments[0]): \(error)\n", stderr)
            exit(1)
        }
        do {
            for (name, value) in parsed.options {
                switch name {
                case "help": Usage.print()
                case "version":
                    print("ovsdb-client (Open vSwitch) \(OVSDBVersion.string)")
                    exit(0)
                case "timestamp": o.timestamp = true
                case "force": o.force = true
                case "timeout":
                    guard let v = value, let t = UInt32(v), t > 0 else {
                        Console.fatal("value \(value ?? "") on -t or --timeout is invalid")
                    }
                    o.timeout = t
                case "db-change-aware": o.dbChangeAware = 1
                case "no-db-change-aware": o.dbChangeAware = 0
                case "leader-only": o.leaderOnly = true
                case "no-leader-only": o.leaderOnly = false
                case "format": try o.style.setFormat(value ?? "")
                case "data": try o.style.setCellFormat(value ?? "")
                case "no-headings": o.style.headings = false
                case "pretty": o.style.pretty = true
                case "bare": o.style.setBare()
                case "max-column-width": o.style.maxColumnWidth = Int(atoi(value ?? "0"))
                default: break
                }
            }
        } catch {
            Console.fatal(error.description)
        }
        if o.timeout == 0, let env = getenv("OVS_CTL_TIMEOUT"), let t = UInt32(String(cString: env)) {
            o.timeout = t
        }
        o.arguments = parsed.arguments
        return o
    }
}
