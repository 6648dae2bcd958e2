import Daemon
import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// ovs-vsctl's global options (`parse_options`), parsed as getopt_long with `+`: options end
/// at the first command word. Command options (`--may-exist`, `--id=@x`, …) given before the
/// first command belong to it.
struct VsctlOptions {
    var database: String?
    var oneline = false
    var waitForReload = true
    var dryRun = false
    var timeout: UInt32 = 0
    var retry = false
    var style = TableStyle()
    /// `--name` → value, for the first command.
    var firstCommandOptions: [(String, String?)] = []
    /// Everything after the options: commands separated by `--`.
    var arguments: [String] = []

    /// The global options, in Open vSwitch's order (`--options` lists them).
    static let globalOptions: [OptionParser.Option] = [
        .init("db", .required),
        .init("no-syslog"),
        .init("no-wait"),
        .init("dry-run"),
        .init("oneline"),
        .init("timeout", .required, short: "t"),
        .init("retry"),
        .init("help", short: "h"),
        .init("commands"),
        .init("options"),
        .init("leader-only"),
        .init("no-leader-only"),
        .init("shuffle-remotes"),
        .init("no-shuffle-remotes"),
        .init("version", short: "V"),
        .init("verbose", .optional, short: "v"),
        .init("log-file", .optional),
        .init("syslog-method", .required),
        .init("syslog-target", .required),
        .init("format", .required, short: "f"),
        .init("data", .required, short: "d"),
        .init("no-headings"),
        .init("pretty"),
        .init("bare"),
        .init("max-column-width", .required),
        .init("private-key", .required, short: "p"),
        .init("certificate", .required, short: "c"),
        .init("ca-cert", .required, short: "C"),
        .init("ssl-protocols", .required),
        .init("ssl-ciphers", .required),
        .init("bootstrap-ca-cert", .required),
        .init("peer-ca-cert", .required),
    ]

    private static let parser: OptionParser = {
        var options = globalOptions
        for (name, takesValue) in CommandSyntax.allOptions where !options.contains(where: { $0.name == name }) {
            options.append(.init(name, takesValue ? .required : .none))
        }
        return OptionParser(options)
    }()

    private static let commandOptionNames = Set(CommandSyntax.allOptions.map(\.name))

    /// Parses `args` (without the program name).
    static func parse(_ args: [String]) throws -> VsctlOptions {
        var o = VsctlOptions()
        let parsed: (options: [(String, String?)], arguments: [String])
        do {
            parsed = try parser.parse(args, stopAtFirstArgument: true)
        } catch {
            // getopt names the program as it was invoked and the tool exits 1.
            fputs("\(CommandLine.arguments[0]): \(error)\n", stderr)
            throw VsctlError.exit(1)
        }
        for (name, value) in parsed.options {
            switch name {
            case "db": o.database = value
            case "oneline": o.oneline = true
            case "no-syslog": VsctlLog.quietSyslog()
            case "verbose":
                if let value { try VsctlLog.set(value) } else { VsctlLog.setMaximum() }
            case "no-wait": o.waitForReload = false
            case "dry-run": o.dryRun = true
            case "timeout":
                guard let v = value, let t = UInt32(v), t > 0 else {
                    throw VsctlError.fatal("value \(value ?? "") on -t or --timeout is invalid")
                }
                o.timeout = t
            case "retry": o.retry = true
            case "help": Usage.print()
            case "commands": Usage.printCommands()
            case "options": Usage.printOptions(globalOptions)
            case "version": Usage.printVersion()
            case "format": o.style.format = try tableOption { try $0.setFormat(value ?? "") }.format
            case "data": o.style.cellFormat = try tableOption { try $0.setCellFormat(value ?? "") }.cellFormat
            case "no-headings": o.style.headings = false
            case "pretty": o.style.pretty = true
            case "bare": o.style.setBare()
            case "max-column-width": o.style.maxColumnWidth = Int(atoi(value ?? "0"))
            case _ where commandOptionNames.contains(name):
                // Open vSwitch looks the name up without its dashes among keys stored with them,
                // so a repeated option is accepted here, unlike after "--".
                o.firstCommandOptions.append(("--" + name, value))
            case "peer-ca-cert":
                // Read now, as Open vSwitch does, though only ssl: remotes would use it.
                if let path = value, access(path, R_OK) != 0 {
                    VsctlLog.log("stream_ssl", .err, "failed to open \(path) for reading: \(String(cString: strerror(errno)))")
                }
            default:
                break   // logging, SSL and clustering options: accepted, not needed here
            }
        }
        if o.timeout == 0, let env = getenv("OVS_CTL_TIMEOUT"), let t = UInt32(String(cString: env)) {
            o.timeout = t
        }
        o.arguments = parsed.arguments
        return o
    }

    private static func tableOption(_ apply: (inout TableStyle) throws -> Void) throws -> TableStyle {
        var style = TableStyle()
        do {
            try apply(&style)
        } catch {
            throw VsctlError.fatal("\(error)")
        }
        return style
    }

    /// `unix:$OVS_RUNDIR/db.sock`.
    static var defaultDatabase: String {
        let rundir = getenv("OVS_RUNDIR").map { String(cString: $0) } ?? "/var/run/openvswitch"
        return "unix:\(rundir)/db.sock"
    }
}
