#if canImport(Glibc)
import Glibc
#endif

/// What every Open vSwitch daemon does around its main loop: the standard directories,
/// `--detach` (fork, new session, tell the parent once ready), `--pidfile` (written and locked,
/// removed at exit) and `--no-chdir`.
public enum Daemon {
    /// `$OVS_RUNDIR`, else /var/run/openvswitch: pid files and control sockets.
    public static var runDirectory: String { env("OVS_RUNDIR") ?? "/var/run/openvswitch" }
    /// `$OVS_LOGDIR`, else /var/log/openvswitch.
    public static var logDirectory: String { env("OVS_LOGDIR") ?? "/var/log/openvswitch" }
    /// `$OVS_DBDIR`, else `$OVS_SYSCONFDIR/openvswitch`, else /etc/openvswitch.
    public static var databaseDirectory: String {
        env("OVS_DBDIR") ?? env("OVS_SYSCONFDIR").map { "\($0)/openvswitch" } ?? "/etc/openvswitch"
    }
    /// `$OVS_PKGDATADIR`, else /usr/share/openvswitch: schemas.
    public static var packageDataDirectory: String { env("OVS_PKGDATADIR") ?? "/usr/share/openvswitch" }

    static func env(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// `name` made absolute against the working directory, or against `directory` if given.
    public static func absolutePath(_ name: String, in directory: String? = nil) -> String {
        if name.hasPrefix("/") { return name }
        if let directory { return "\(directory)/\(name)" }
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard getcwd(&buf, buf.count) != nil else { return name }
        return String(cString: buf) + "/" + name
    }

    private static var readyPipe: Int32 = -1
    private static var pidfile: (path: String, fd: Int32)?

    /// Forks into the background: the parent waits until the child calls `ready()` (or dies)
    /// and exits with success or failure accordingly. Call before starting any thread.
    public static func detach(chdirToRoot: Bool) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { fatal("pipe failed: \(String(cString: strerror(errno)))") }
        let pid = fork()
        if pid < 0 { fatal("fork failed: \(String(cString: strerror(errno)))") }
        if pid > 0 {
            close(fds[1])
            var byte: UInt8 = 0
            let n = read(fds[0], &byte, 1)
            exit(n == 1 ? 0 : 1)
        }
        close(fds[0])
        readyPipe = fds[1]
        setsid()
        if chdirToRoot { _ = chdir("/") }
    }

    /// Tells a waiting parent that start-up succeeded, and detaches from the terminal.
    public static func ready() {
        guard readyPipe >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(readyPipe, &byte, 1)
        close(readyPipe)
        readyPipe = -1
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            dup2(null, 0)
            dup2(null, 1)
            dup2(null, 2)
            close(null)
        }
    }

    /// Writes and locks the pid file; fails if another live process holds it.
    public static func writePidfile(_ path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DaemonError("\(path): open failed (\(String(cString: strerror(errno))))") }
        var l = flock()
        l.l_type = Int16(F_WRLCK)
        l.l_whence = Int16(SEEK_SET)
        if fcntl(fd, F_SETLK, &l) != 0 {
            var owner = flock()
            owner.l_type = Int16(F_WRLCK)
            owner.l_whence = Int16(SEEK_SET)
            _ = fcntl(fd, F_GETLK, &owner)
            close(fd)
            throw DaemonError("\(path): pidfile is already locked by pid \(owner.l_pid)")
        }
        ftruncate(fd, 0)
        let text = "\(getpid())\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        pidfile = (path, fd)
    }

    /// Removes the pid file (at exit).
    public static func removePidfile() {
        guard let p = pidfile else { return }
        unlink(p.path)
        close(p.fd)
        pidfile = nil
    }

    public static func fatal(_ message: String) -> Never {
        fputs("\(CommandLine.arguments.first.map { String($0.split(separator: "/").last ?? "") } ?? ""): \(message)\n", stderr)
        exit(1)
    }
}

public struct DaemonError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Daemon {
    private static let terminationSignals = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks SIGTERM, SIGINT and SIGHUP in this thread and every thread started after, so
    /// that `waitForTermination()` receives them. Call before starting threads.
    public static func blockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in terminationSignals { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits until a termination signal arrives (or `requestTermination()` is called).
    public static func waitForTermination() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in terminationSignals { sigaddset(&set, s) }
        var received: Int32 = 0
        sigwait(&set, &received)
    }

    /// Ends `waitForTermination()`, as `ovs-appctl exit` does.
    public static func requestTermination() { kill(getpid(), SIGTERM) }
}
