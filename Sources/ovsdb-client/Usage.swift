import Daemon
import OVSDB
import Streams
#if canImport(Glibc)
import Glibc
#endif

/// `ovsdb-client --help`, laid out as Open vSwitch 3.1 prints it. The command list comes from
/// the command table.
enum Usage {
    static func print() -> Never {
        let rundir = Daemon.runDirectory
        var s = """
            ovsdb-client: Open vSwitch database JSON-RPC client
            usage: ovsdb-client [OPTIONS] COMMAND [ARG...]

            Valid commands are:

            """
        for entry in ClientCommand.all.flatMap(\.help) {
            s += "\n  \(entry.synopsis)\n"
            for line in entry.description { s += "    \(line)\n" }
        }
        s += """

            The default SERVER is unix:\(rundir)/db.sock.
            The default DATABASE is Open_vSwitch.


            """
        s += StreamTarget.usage("SERVER", bootstrap: true)
        s += TableStyle.usage
        s += "  --timestamp                 timestamp \"monitor\" output"
        s += """

            Daemon options:
              --detach                run in background as daemon
              --monitor               creates a process to monitor this daemon
              --user=username[:group] changes the effective daemon user:group
              --no-chdir              do not chdir to '/'
              --pidfile[=FILE]        create pidfile (default: \(rundir)/ovsdb-client.pid)
              --overwrite-pidfile     with --pidfile, start even if already running

            Logging options:
              -vSPEC, --verbose=SPEC   set logging levels
              -v, --verbose            set maximum verbosity level
              --log-file[=FILE]        enable logging to specified FILE
                                       (default: \(Daemon.logDirectory)/ovsdb-client.log)
              --syslog-method=(libc|unix:file|udp:ip:port)
                                       specify how to send messages to syslog daemon
              --syslog-target=HOST:PORT  also send syslog msgs to HOST:PORT via UDP

            Replay options:
              --record[=DIR]            turn on writing replay files
              --replay[=DIR]            run from replay files

            Other options:
              -h, --help                  display this help message
              -V, --version               display version information

            """
        Console.write(s)
        exit(0)
    }
}
