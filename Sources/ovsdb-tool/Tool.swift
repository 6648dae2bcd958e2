import OVSDB
#if canImport(Glibc)
import Glibc
#endif

/// A failure ovsdb-tool reports as `ovsdb-tool: MESSAGE` before exiting with status 1.
struct ToolError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// What every command runs with: the options, and where the default files are.
struct Tool {
    /// `-m` given this many times.
    var verbosity = 0

    /// The database used when none is named: `$OVS_DBDIR/conf.db`, else
    /// `$OVS_SYSCONFDIR/openvswitch/conf.db`, else `/etc/openvswitch/conf.db`.
    static var defaultDatabase: String {
        if let dir = environment("OVS_DBDIR") { return "\(dir)/conf.db" }
        return "\(environment("OVS_SYSCONFDIR") ?? "/etc")/openvswitch/conf.db"
    }

    /// The schema used when none is named: `$OVS_PKGDATADIR/vswitch.ovsschema`, else
    /// `/usr/share/openvswitch/vswitch.ovsschema`.
    static var defaultSchema: String {
        "\(environment("OVS_PKGDATADIR") ?? "/usr/share/openvswitch")/vswitch.ovsschema"
    }

    private static func environment(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// Writes `text` to standard output.
    func write(_ text: String) {
        fputs(text, stdout)
    }

    static let programName: String = {
        let argv0 = CommandLine.arguments.first ?? "ovsdb-tool"
        return argv0.split(separator: "/").last.map(String.init) ?? argv0
    }()

    static var version: String { "\(programName) (Open vSwitch) \(OVSDBVersion.string)\n" }

    static var usage: String {
        var s = """
            \(programName): Open vSwitch database management utility
            usage: \(programName) [OPTIONS] COMMAND [ARG...]

            """
        for c in ToolCommand.all { s += c.helpLine ?? "" }
        s += """
            The default DB is \(defaultDatabase).
            The default SCHEMA is \(defaultSchema).

            Other options:

            """
        for o in ToolOptions.table {
            guard let help = o.help else { continue }
            var names = o.short.map { "-\($0), " } ?? ""
            names += "--\(o.name)"
            s += "  \(names)\(String(repeating: " ", count: max(1, 28 - names.count)))\(help)\n"
        }
        return s
    }
}
