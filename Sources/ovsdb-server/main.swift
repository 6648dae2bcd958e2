import Daemon
import Logging
import NIOCore
import NIOPosix
import OVSDBServer
import Unixctl
#if canImport(Glibc)
import Glibc
#endif

/// ovsdb-server: serves OVSDB databases over JSON-RPC, with Open vSwitch's command line.
let usage = """
    ovsdb-server: Open vSwitch database server
    usage: ovsdb-server [OPTIONS] [DATABASE...]
    where each DATABASE is a database file in ovsdb format.
    The default DATABASE, if none is given, is
    \(Daemon.databaseDirectory)/conf.db.

    JSON-RPC options (may be specified any number of times):
      --remote=REMOTE         connect or listen to REMOTE (punix:, ptcp:, unix:, tcp:, db:DB,TABLE,COLUMN)

    Daemon options:
      --detach                run in background as daemon
      --no-chdir              do not chdir to '/'
      --pidfile[=FILE]        create pidfile (default: \(Daemon.runDirectory)/ovsdb-server.pid)
      --overwrite-pidfile     with --pidfile, start even if already running
      --monitor               accepted for compatibility (no monitor process)

    Logging options:
      -vSPEC, --verbose=SPEC   set logging levels
      -v, --verbose            set maximum verbosity level
      --log-file[=FILE]       enable logging to specified FILE
                              (default: \(Daemon.logDirectory)/ovsdb-server.log)

    Other options:
      --run COMMAND           run COMMAND as subprocess then exit (unsupported)
      --unixctl=SOCKET        override default control socket name
      -h, --help              display this help message
      -V, --version           display version information
    """

let parser = OptionParser([
    .init("remote", .required), .init("detach"), .init("no-chdir"), .init("pidfile", .optional),
    .init("overwrite-pidfile"), .init("monitor"), .init("verbose", .optional, short: "v"),
    .init("log-file", .optional), .init("unixctl", .required), .init("help", short: "h"),
    .init("version", short: "V"), .init("private-key", .required), .init("certificate", .required),
    .init("ca-cert", .required), .init("bootstrap-ca-cert", .required), .init("no-self-confinement"),
    .init("user", .required), .init("disable-file-column-diff"), .init("active"), .init("passive"),
])

let parsed: (options: [(String, String?)], arguments: [String])
do {
    parsed = try parser.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    Daemon.fatal("\(error)\nTry `ovsdb-server --help' for more information.")
}

var remotes: [String] = []
var detach = false, chdirToRoot = true
var pidfile: String?
var logFile: String?
var unixctlPath: String?
var verbosity: [String] = []
for (name, value) in parsed.options {
    switch name {
    case "remote": remotes.append(value!)
    case "detach": detach = true
    case "no-chdir": chdirToRoot = false
    case "pidfile": pidfile = Daemon.absolutePath(value ?? "\(Daemon.runDirectory)/ovsdb-server.pid")
    case "log-file": logFile = Daemon.absolutePath(value ?? "\(Daemon.logDirectory)/ovsdb-server.log")
    case "unixctl": unixctlPath = value.map { Daemon.absolutePath($0) }
    case "verbose": verbosity.append(value ?? "dbg")
    case "help":
        print(usage)
        exit(0)
    case "version":
        print("ovsdb-server (Open vSwitch) 3.1.0")
        exit(0)
    case "private-key", "certificate", "ca-cert", "bootstrap-ca-cert":
        Daemon.fatal("SSL is not supported yet (--\(name))")
    default: break
    }
}
let databasePaths = (parsed.arguments.isEmpty ? ["\(Daemon.databaseDirectory)/conf.db"] : parsed.arguments).map { Daemon.absolutePath($0) }

LoggingSystem.bootstrap { VLogHandler(label: $0) }
for module in ["ovsdb_server", "jsonrpc", "unixctl", "ovsdb_file", "memory", "reconnect", "stream"] { VLog.shared.register(module) }
let log = Logger(label: "ovsdb_server")
for spec in verbosity {
    do { try VLog.shared.set(spec) } catch { Daemon.fatal("\(error)") }
}
if let logFile {
    do { try VLog.shared.setLogFile(logFile) } catch { Daemon.fatal("\(error)") }
}

if detach { Daemon.detach(chdirToRoot: chdirToRoot) }
signal(SIGPIPE, SIG_IGN)
Daemon.blockTerminationSignals()

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let server = OVSDBServer(eventLoop: loop)

let started: EventLoopFuture<UnixctlServer> = loop.flatSubmit {
    do {
        if let pidfile { try Daemon.writePidfile(pidfile) }
        for path in databasePaths { try server.addDatabase(path: path) }
        for r in remotes { try server.addRemote(r) }
    } catch {
        return loop.makeFailedFuture(error)
    }
    let path = unixctlPath ?? "\(Daemon.runDirectory)/ovsdb-server.\(getpid()).ctl"
    let unixctl = UnixctlServer(path: path, eventLoop: loop, programName: "ovsdb-server", version: "3.1.0")
    VLog.shared.registerCommands(unixctl)
    server.registerCommands(unixctl)
    return unixctl.start().map { unixctl }.flatMapErrorThrowing { error in
        let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
        throw DaemonError("\(path): could not initialize control socket (\(reason))")
    }
}

let unixctl: UnixctlServer
do {
    unixctl = try started.wait()
} catch {
    Daemon.removePidfile()
    Daemon.fatal("\(error)")
}
log.info("ovsdb-server (Open vSwitch) 3.1.0")
Daemon.ready()

server.onExit = { Daemon.requestTermination() }
Daemon.waitForTermination()
try? loop.flatSubmit { server.shutdown().flatMap { unixctl.stop() } }.wait()
unlink(unixctl.path)
Daemon.removePidfile()
try? group.syncShutdownGracefully()
exit(0)
